export { createSystemService, type SystemService } from './system.service.ts';
export { adminSystemRoutes } from './system.routes.ts';
