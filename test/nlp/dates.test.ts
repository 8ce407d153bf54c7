import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('dates of realistic messages', ['dates'], TABLES);
