import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('catalog products of realistic messages', ['products'], TABLES);
