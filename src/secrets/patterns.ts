// Shapes of secrets the doctor does not know but may echo from the deployment (log lines,
// environment values, error messages). Kept as data, each rule with an example that must be masked
// (test/unit/secret-shapes.test.ts runs every example). The token prefixes follow the rules of the
// gitleaks scanner (MIT licence, github.com/gitleaks/gitleaks, config/gitleaks.toml), written out
// here rather than loaded: nothing is downloaded at run time.
//
// Each regex has an optional group `pre` (kept, e.g. "password=") and a group `secret` (replaced).
// Rules run in order: context rules before the rules that would mask their context.

export interface SecretShape {
  id: string;
  description: string;
  regex: RegExp;
  /** A text in which the rule masks `secret`; the test also checks `keeps` stays. */
  example: { text: string; secret: string; keeps?: string };
  /** The secret is kept when this says it is no secret (YES in "using password: YES"). */
  except?: RegExp;
  /** Mask only when the captured `name` is a secret name (isSecretName): DB_PASS=x, not HOST=x. */
  nameMustBeSecret?: boolean;
  /** An identifier rather than a secret (an access key id): masked in free text, but a variable holding one is not a plaintext secret. */
  identifier?: boolean;
}

/** Values that are not secrets although a secret word names them (a check status: "plaintext-secrets: warn" in a report). */
export const NOT_A_SECRET = /^(?:pass|fail|warn|error|skip|waived|not|yes|no|true|false|null|nil|none|undefined|empty|set|unset|required|n\/a|\*+|x+|<[^<>]*>|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|env:[A-Za-z_]\w*|\(?redacted\)?|<redacted>|masked|hidden|\.\.\.|…)$/i;

/** Words that follow "password" in prose without being the password. */
const PROSE_NOT_A_PASSWORD = /^(?:masked|redacted|hidden|shown|authentication|auth|for|is|was|has|had|have|must|should|will|can|cannot|could|does|did|not|expired|incorrect|invalid|wrong|mismatch|required|too|changed|change|reset|policy|length|field|to|the|a|an|and|or|of|in|on|with|without|from|by|YES|NO|using|based|login|prompt|check|checks|hash|hashes|hashing|manager|store|file|rotation|rotated|update|updated|please|again|protected|less|provided|set|not|empty|missing|verification|validation|attempt|attempts|failed|failure|\(.*)$/i;

export const SECRET_SHAPES: readonly SecretShape[] = [
  {
    id: 'private-key-block',
    description: 'PEM private key',
    regex: /(?<pre>-----BEGIN[A-Z ]{0,30}PRIVATE KEY-----)(?<secret>[\s\S]*?)(?=-----END[A-Z ]{0,30}PRIVATE KEY-----|$)/g,
    example: { text: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAuZ\n-----END RSA PRIVATE KEY-----', secret: 'MIIEowIBAAKCAQEAuZ', keeps: '-----END RSA PRIVATE KEY-----' },
  },
  {
    id: 'url-credentials',
    description: 'password in a URL (scheme://user:password@host)',
    regex: /(?<pre>\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,256}:)(?<secret>[^\s@/]{1,512})(?=@)/gi,
    example: { text: 'connect mysql://edgi:hunter2pass@db:3306/x failed', secret: 'hunter2pass', keeps: 'mysql://edgi:<redacted>@db:3306/x' },
  },
  {
    id: 'aws-secret-key-after-key-id',
    description: 'AWS secret access key (40 characters) right after an access key id',
    regex: /(?<pre>\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}["']?[\s:,;|/=]{1,4}["']?)(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    example: { text: 'creds AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id (AKIA… long-term, ASIA… temporary)',
    regex: /\b(?<pre>A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)(?<secret>[A-Z0-9]{12,})\b/g,
    example: { text: 'key AKIAIOSFODNN7EXAMPLE used', secret: 'IOSFODNN7EXAMPLE', keeps: 'AKIA<redacted>' },
    identifier: true,
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    regex: /\b(?<secret>ey[JK][A-Za-z0-9_-]{8,}\.ey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g,
    example: { text: 'session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok', secret: 'eyJzdWIiOiIxMjM0NTY3ODkwIn0' },
  },
  {
    id: 'github-token',
    description: 'GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
    regex: /\b(?<pre>gh[pousr]_|github_pat_)(?<secret>[A-Za-z0-9_]{30,255})\b/g,
    example: { text: 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok', secret: 'abcdefghijklmnopqrstuvwxyz0123456789', keeps: 'ghp_<redacted>' },
  },
  {
    id: 'gitlab-token',
    description: 'GitLab token (glpat-, gldt-, glrt-, …)',
    regex: /\b(?<pre>gl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent)-)(?<secret>[A-Za-z0-9_-]{20,})/g,
    example: { text: 'GITLAB glpat-abcdefghij0123456789 done', secret: 'abcdefghij0123456789' },
  },
  {
    id: 'slack-token',
    description: 'Slack token (xoxb-, xoxa-, xoxp-, xoxr-, xoxs-) and webhook',
    regex: /\b(?<pre>xox[baprse]-|hooks\.slack\.com\/services\/)(?<secret>[A-Za-z0-9/-]{10,})/g,
    example: { text: 'slack xoxb-123456789012-abcdefghijkl ok', secret: '123456789012-abcdefghijkl' },
  },
  {
    id: 'stripe-key',
    description: 'Stripe secret or restricted key',
    regex: /\b(?<pre>(?:sk|rk)_(?:live|test|prod)_)(?<secret>[A-Za-z0-9]{10,})/g,
    example: { text: 'stripe sk_live_abcdefghij0123456789', secret: 'abcdefghij0123456789' },
  },
  {
    id: 'sk-key',
    description: 'OpenAI, Anthropic and similar "sk-" API keys (sk-, sk-proj-, sk-ant-)',
    regex: /\b(?<pre>sk-)(?<secret>[A-Za-z0-9_-]{16,})/g,
    example: { text: 'OPENAI sk-proj-abcdefghijklmnopqrstuvwx', secret: 'proj-abcdefghijklmnopqrstuvwx', keeps: 'sk-<redacted>' },
  },
  {
    id: 'google-api-key',
    description: 'Google API key',
    regex: /\b(?<pre>AIza)(?<secret>[0-9A-Za-z_-]{35})\b/g,
    example: { text: 'maps AIzaSyA1234567890abcdefghijklmnopqrstuv ok', secret: 'SyA1234567890abcdefghijklmnopqrstuv' },
  },
  {
    id: 'npm-token',
    description: 'npm access token',
    regex: /\b(?<pre>npm_)(?<secret>[A-Za-z0-9]{36})\b/g,
    example: { text: 'npm_abcdefghijklmnopqrstuvwxyz0123456789', secret: 'abcdefghijklmnopqrstuvwxyz0123456789' },
  },
  {
    id: 'huggingface-token',
    description: 'Hugging Face token',
    regex: /\b(?<pre>hf_)(?<secret>[A-Za-z]{34,40})\b/g,
    example: { text: 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH', secret: 'abcdefghijklmnopqrstuvwxyzABCDEFGH' },
  },
  {
    id: 'sendgrid-key',
    description: 'SendGrid API key',
    regex: /\b(?<pre>SG\.)(?<secret>[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{39,50})\b/g,
    example: { text: 'SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', secret: 'abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' },
  },
  {
    id: 'authorization-header',
    description: 'Authorization: Bearer/Basic/Token credentials',
    regex: /(?<pre>\b(?:Bearer|Basic|Token|Digest)\s+)(?<secret>[A-Za-z0-9._~+/=-]{8,})/gi,
    example: { text: 'Authorization: Bearer abcdefghijklmnop', secret: 'abcdefghijklmnop' },
  },
  {
    id: 'cli-password-flag',
    description: 'a password or token given as a command-line option (--password x, --token=x, mysql -px)',
    regex: /(?<pre>(?:^|[\s"'])--?(?:password|passwd|pass|pwd|secret|token|api-key|apikey|access-key|secret-key|auth-token|client-secret)(?:=|\s+)["']?)(?<secret>[^\s"']{1,512})/gi,
    example: { text: 'ran: mysql --password hunter2pass -h db', secret: 'hunter2pass', keeps: '--password <redacted>' },
    except: NOT_A_SECRET,
  },
  {
    id: 'mysql-p-flag',
    description: 'mysql -p<password> (attached, as the mysql client takes it)',
    regex: /(?<pre>\bmysql(?:dump|admin|sh)?\b[^\n]{0,200}?\s-p)(?<secret>[^\s"'-][^\s"']{0,511})/g,
    example: { text: 'exec mysql -u edgi -phunter2pass ovaledgedb', secret: 'hunter2pass' },
  },
  {
    id: 'named-value',
    description: 'a value after a name that says secret (DB_PASS=…, "password": "…", api_key: …, ?token=…)',
    // The name is one word run not preceded by ":" or "/" (an ARN's ":secret:" is no assignment).
    regex: /(?<pre>(?<![\w:/.-])(?<name>[A-Za-z][\w.-]{0,80}?)["']?\s{0,3}(?:[:=]|=>)\s{0,3}["']?)(?<secret>[^\s"',;}{[\]()&<>]{1,512})/g,
    example: { text: 'env DB_PASS=hunter2pass HOST=db', secret: 'hunter2pass', keeps: 'HOST=db' },
    // A short number after a secret-looking name is a count or a port ("tokens": 3), not a secret.
    except: new RegExp(`${NOT_A_SECRET.source}|^\\d{1,5}$`, 'i'),
    nameMustBeSecret: true,
  },
  {
    id: 'prose-password',
    description: 'a password in prose ("password hunter2", "with password: x")',
    regex: /(?<pre>\b(?:password|passwd|passphrase)\s{1,3}["']?)(?<secret>[^\s"',;]{3,511}[^\s"',;.:!?)])/gi,
    example: { text: 'log in with password hunter2pass now', secret: 'hunter2pass' },
    except: PROSE_NOT_A_PASSWORD,
  },
];
