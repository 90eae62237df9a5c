/** Error codes of sign-in, tokens and API keys. */
export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  WRONG_PASSWORD = 'WRONG_PASSWORD',
  /** The user's unit has been deactivated: its people may not sign in or act. */
  UNIT_INACTIVE = 'UNIT_INACTIVE',
}
