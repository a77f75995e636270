export { createSystemService, type SystemService } from './system.service.ts';
export { adminSystemRoutes } from './system.routes.ts';
export { createAdminUsersService, type AdminUsersService } from './users.service.ts';
export { adminUsersRoutes } from './users.routes.ts';
