import check from '../../../src/checks/rds-sg-allows-edgi.js';
import { IDS } from '../../support/fixture-deployment.js';
import { ingressRuleSuite } from '../../support/ingress-rule-cases.js';

// The RDS SG must let TCP 3306 in from the Edgi SG (SGs are stateful).
ingressRuleSuite(check, { target: IDS.rdsSg, targetRole: 'RDS', targetName: 'rds', peer: IDS.edgiSg, peerRole: 'Edgi', port: 3306, portKey: 'mysql' });
