// Which names (environment variables, database columns, config keys, key=value pairs in text) say
// that their value is a secret. Whole words only: MONKEY_COUNT, TOKEN_TTL and KEYCLOAK_URL are not
// secrets; DB_PASSWORD, OAUTH2_SECRET, openaiApiKey and BRIDGE_AWS_USER_ACCESS_KEY are.

/** Words that name a secret when they are the last word of a name (EDGI_AWS_SECRET_KEY, API_TOKEN). */
const SECRET_WORDS = new Set([
  'KEY', 'APIKEY', 'SECRETKEY', 'ACCESSKEY', 'PRIVATEKEY',
  'SECRET', 'SECRETS',
  'PASSWORD', 'PASSWORDS', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE',
  'TOKEN', 'AUTHTOKEN', 'ACCESSTOKEN', 'REFRESHTOKEN',
  'CREDENTIAL', 'CREDENTIALS', 'CREDS',
  'AUTHORIZATION', 'COOKIE', 'SALT', 'DSN',
]);

/** Words after a secret word that make the name about the secret, not the secret: DB_SECRET_NAME, TOKEN_TTL, AWS_ACCESS_KEY_ID, PASSWORD_RESET_URL. */
const ABOUT_A_SECRET = new Set([
  'NAME', 'NAMES', 'ID', 'IDS', 'ARN', 'TYPE', 'KIND', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRE', 'EXPIRATION', 'AGE', 'LIFETIME',
  'LENGTH', 'LEN', 'SIZE', 'COUNT', 'MIN', 'MAX', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'PATH', 'FILE', 'DIR', 'LOCATION',
  'REGION', 'TIMEOUT', 'SECONDS', 'SEC', 'MINUTES', 'HOURS', 'DAYS', 'MS', 'ENABLED', 'DISABLED', 'ENABLE', 'HEADER', 'FIELD',
  'PARAM', 'PARAMETER', 'VERSION', 'MODE', 'POLICY', 'ALGORITHM', 'ALG', 'FORMAT', 'PREFIX', 'SUFFIX', 'ROTATION', 'PROVIDER',
  'SOURCE', 'STORE', 'MANAGER', 'REF', 'REFERENCE', 'REQUIRED', 'METHOD', 'SCHEME', 'STRATEGY', 'LOCATION',
]);

/** Secret words only after a qualifier (DB_PASS, MYSQL_PWD): alone, "pass" is the status of a check. */
const QUALIFIED_ONLY = new Set(['PASS', 'PWD']);

/** A name split in words: on _ - . and space, and at camelCase boundaries; upper case; trailing digits dropped (PASSWORD2). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase().replace(/\d+$/, ''))
    .filter(Boolean);
}

/**
 * A name whose value is a secret: a whole word of it is a secret word (KEY, SECRET, PASSWORD,
 * TOKEN, …) and no later word makes it a name about the secret (NAME, ID, TYPE, TTL, URL, …).
 * Secret: EDGI_AWS_SECRET_KEY, OPENAI_API_KEY_PROD, SECRET_KEY_BASE, dbPassword. Not secret:
 * MONKEY_COUNT, KEYCLOAK_URL, TOKEN_TTL, DB_SECRET_NAME, CREDENTIAL_TYPE, AWS_ACCESS_KEY_ID.
 */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  return words.some((w, i) => SECRET_WORDS.has(w) && !(i === 0 && QUALIFIED_ONLY.has(w)) && !words.slice(i + 1).some((later) => ABOUT_A_SECRET.has(later)));
}
