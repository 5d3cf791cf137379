export * from './mariadb-pool';
export * from './schema';
export * from './mariadb-database';
