import check from '../../../src/checks/edgi-sg-ingress-efs.js';
import { IDS } from '../../support/fixture-deployment.js';
import { ingressRuleSuite } from '../../support/ingress-rule-cases.js';

// The Edgi SG must let TCP 2049 in from the EFS SG (the runbook's All/All is broader: warn).
ingressRuleSuite(check, { target: IDS.edgiSg, targetRole: 'Edgi', targetName: 'edgi', peer: IDS.efsSg, peerRole: 'EFS', port: 2049, portKey: 'nfs' });
