/** What other modules, the app and the worker may use of the catalog. */
export { subjects, subjectImages } from './subjects.tables.ts';
export { subjectCatalog, createSubjectsService, type SubjectsService, type SubmitGeneration } from './subjects.service.ts';
export { subjectsRoutes } from './subjects.routes.ts';
