import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('budgets of realistic messages', ['budget'], TABLES);
