import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';

/** For the TypeORM CLI (`npm run migration:generate`): the app's own options from the environment. */
export default new DataSource(dataSourceOptions(loadConfig()));
