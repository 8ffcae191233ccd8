import check from '../../../src/checks/edgi-sg-ingress-rds.js';
import { IDS } from '../../support/fixture-deployment.js';
import { ingressRuleSuite } from '../../support/ingress-rule-cases.js';

// The Edgi SG must let TCP 3306 in from the RDS SG.
ingressRuleSuite(check, { target: IDS.edgiSg, targetRole: 'Edgi', targetName: 'edgi', peer: IDS.rdsSg, peerRole: 'RDS', port: 3306, portKey: 'mysql' });
