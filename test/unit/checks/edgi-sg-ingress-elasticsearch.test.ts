import check from '../../../src/checks/edgi-sg-ingress-elasticsearch.js';
import { IDS } from '../../support/fixture-deployment.js';
import { ingressRuleSuite } from '../../support/ingress-rule-cases.js';

// The Edgi SG must let TCP 9200 in from the Elasticsearch SG.
ingressRuleSuite(check, { target: IDS.edgiSg, targetRole: 'Edgi', targetName: 'edgi', peer: IDS.esSg, peerRole: 'Elasticsearch', port: 9200, portKey: 'elasticsearch' });
