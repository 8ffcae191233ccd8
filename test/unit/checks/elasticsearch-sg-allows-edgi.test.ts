import check from '../../../src/checks/elasticsearch-sg-allows-edgi.js';
import { IDS } from '../../support/fixture-deployment.js';
import { ingressRuleSuite } from '../../support/ingress-rule-cases.js';

// The Elasticsearch SG must let TCP 9200 in from the Edgi SG (SGs are stateful).
ingressRuleSuite(check, { target: IDS.esSg, targetRole: 'Elasticsearch', targetName: 'es', peer: IDS.edgiSg, peerRole: 'Edgi', port: 9200, portKey: 'elasticsearch' });
