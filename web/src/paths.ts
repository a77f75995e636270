/** The app's addresses, typed so a link to a screen that does not exist does not compile. */
export type AppPath = '/' | '/signin' | '/signup' | '/dashboard' | '/studio' | '/library' | '/billing' | '/account' | '/products' | '/print-prep' | '/ad-creatives' | '/admin' | '/headshots' | '/convert' | '/vendor' | `/library/generations/${string}`;

/** What the sign-in screen says on arrival (a key under `session.` in the strings). */
export type SignInNotice = 'pleaseSignIn' | 'signedOut' | 'erased';
export interface SignInState {
  notice?: SignInNotice;
}
