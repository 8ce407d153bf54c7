import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('organizations of realistic messages', ['orgs'], TABLES);
