import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('persons of realistic messages (name and title)', ['persons', 'personNames'], TABLES);
