/**
 * The API's wire types, all taken from the types generated from the server's OpenAPI document
 * (clients/typescript/src/schema.d.ts, written by `npm run sdk:generate`; the OpenAPI drift test
 * fails when it and the server disagree). Nothing here is written by hand: each name below is a
 * path into `paths`, so a change on the server is a compile error in the web app (decision 080).
 */
import type { components, paths } from '../../../clients/typescript/src/schema.d.ts';

export type { components, paths };

type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON answer of `M P` with status `S`. */
export type Json<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  Op<P, M> extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;

/** The JSON request body of `M P`. */
export type Body<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

export type InstallationConfig = Json<'/api/v1/config', 'get'>;
export type Studio = InstallationConfig['studios'][number];

export type User = Json<'/api/v1/me', 'get'>;
export type Role = User['role'];
export type AuthResponse = Json<'/api/v1/auth/login', 'post'>;
export type RegisterInput = Body<'/api/v1/auth/register', 'post'>;
export type LoginInput = Body<'/api/v1/auth/login', 'post'>;
export type OtpRequest = Body<'/api/v1/auth/otp/request', 'post'>;
export type OtpVerify = Body<'/api/v1/auth/otp/verify', 'post'>;
export type OtpPurpose = OtpRequest['purpose'];

export type Credits = Json<'/api/v1/credits', 'get'>;
export type LedgerRow = Json<'/api/v1/credits/transactions', 'get'>['data'][number];
export type CreditPackage = Json<'/api/v1/billing/packages', 'get'>['data'][number];
export type Plan = Json<'/api/v1/billing/plans', 'get'>['data'][number];
export type PaymentProvider = InstallationConfig['payment_providers'][number];
export type Payment = Json<'/api/v1/billing/payments/{payment_id}', 'get'>;
export type CheckoutInput = Body<'/api/v1/billing/checkout', 'post'>;
export type Checkout = Json<'/api/v1/billing/checkout', 'post', 201>;
export type Subscription = NonNullable<Json<'/api/v1/billing/subscription', 'get'>['subscription']>;
export type Redeemed = Json<'/api/v1/billing/gift-cards/redeem', 'post'>;

export type Asset = Json<'/api/v1/assets/{id}', 'get'>;
export type AssetPatch = Body<'/api/v1/assets/{id}', 'patch'>;
export type AccountExport = Json<'/api/v1/me/exports/{id}', 'get'>;

export type GenerationType = Json<'/api/v1/generation-types', 'get'>[number];
export type Generation = Json<'/api/v1/generations/{id}', 'get'>;
export type GenerationStatus = Generation['status'];
export type GenerationInput = Body<'/api/v1/generations', 'post'>;
