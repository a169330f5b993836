using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using KrJwt.Binding;
using KrJwt.Completion;
using KrJwt.Native;
using KrJwt.Util;

namespace KrJwt.Commands
{
    /// <summary>
    /// Get-KrJWTValidationParameter: validation parameters (a snapshot: later changes to a builder
    /// do not alter them), for Test-KrJWT -ValidationParameter and bearer authentication.
    /// </summary>
    /// <remarks>
    /// Result set (default, pipeline): parameters for tokens like the given build result: its
    /// issuer and audiences, its verification key with the algorithm pinned, and for an encrypted
    /// result its decryption key when the encrypting key can decrypt.
    /// Key sets, for tokens issued elsewhere (an identity provider, another service): one
    /// verification key (-Base64Url, -HexadecimalKey, -KeyBytes, -Passphrase, -PemPath, -Pem, -JwkJson,
    /// -JwkPath, -X509Certificate; public keys are enough) or a JWK Set (-JwksJson, -JwksPath: a
    /// token's kid selects the key), with -Issuer, -Audience, -Algorithm, -ClockSkew and, for
    /// encrypted tokens, -Decryption* keys (several may be given). RSA1_5 and PBES2 are only
    /// accepted when named with -DecryptionKeyAlg (and -DecryptionEncAlg).
    /// Identity providers (sets Authority, JwksUri): the provider's key set is fetched now (OpenID
    /// Connect discovery with -Authority), then kept fresh (-JwksCooldown, -JwksMaxAge); tokens must
    /// carry its issuer and one of -Audience; each key brings its own algorithm.
    /// Signed tokens are always required; alg none is never accepted.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "KrJWTValidationParameter", DefaultParameterSetName = ResultSet)]
    [OutputType(typeof(JwtValidationParameters))]
    public sealed class GetKrJwtValidationParameterCommand : ProviderKeySetCmdlet
    {
        private const string ResultSet = "Result";
        private const string Base64UrlSet = "Base64Url";
        private const string HexSet = "HexadecimalKey";
        private const string BytesSet = "Bytes";
        private const string PassphraseSet = "Passphrase";
        private const string PemPathSet = "PemPath";
        private const string PemSet = "Pem";
        private const string JwkJsonSet = "JwkJson";
        private const string JwkPathSet = "JwkPath";
        private const string CertificateSet = "Certificate";
        private const string JwksJsonSet = "JwksJson";
        private const string JwksPathSet = "JwksPath";

        /// <summary>A build result whose tokens are to be validated.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ResultSet)]
        [BuiltTokenArgument]
        public JwtBuilderResult Result { get; set; } = null!;

        /// <summary>The shared secret (HS*) as base64url text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = Base64UrlSet)]
        public string Base64Url { get; set; } = null!;

        /// <summary>The shared secret (HS*) as hexadecimal text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HexSet)]
        public string HexadecimalKey { get; set; } = null!;

        /// <summary>The shared secret (HS*) as raw bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesSet)]
        public byte[] KeyBytes { get; set; } = null!;

        /// <summary>A passphrase whose UTF-8 bytes are the shared secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PassphraseSet)]
        public SecureString Passphrase { get; set; } = null!;

        /// <summary>A PEM file with the verification key: a public key (SPKI, PKCS#1), a certificate, or a private key (its public part is used). ~ and environment variables are expanded; relative paths are resolved against the current location.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemPathSet)]
        public string PemPath { get; set; } = null!;

        /// <summary>The verification key as PEM text (or its lines, as Get-Content gives them).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemSet)]
        [PemTextArgument]
        public string Pem { get; set; } = null!;

        /// <summary>The verification key as a JWK (JSON text, a parsed object or a hashtable); public members are enough.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkJsonSet)]
        [JsonTextArgument]
        public string JwkJson { get; set; } = null!;

        /// <summary>A file holding the verification key as a JWK.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkPathSet)]
        public string JwkPath { get; set; } = null!;

        /// <summary>A certificate whose public key verifies the tokens.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2 X509Certificate { get; set; } = null!;

        /// <summary>A JWK Set document ({"keys":[...]}): a token's kid selects the key, so keys can be rotated (old and new published together).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwksJsonSet)]
        [JsonTextArgument]
        public string JwksJson { get; set; } = null!;

        /// <summary>A file holding a JWK Set document (for example a saved /.well-known/jwks.json).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwksPathSet)]
        public string JwksPath { get; set; } = null!;

        /// <summary>Accepted issuers (iss); not checked when omitted.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwksUriSet)]
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [ValidateNotNull]
        public string[]? Issuer { get; set; }

        /// <summary>Accepted audiences (aud, any one matching); not checked when omitted.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AuthoritySet)]
        [Parameter(Mandatory = true, ParameterSetName = JwksUriSet)]
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [ValidateNotNull]
        public string[]? Audience { get; set; }

        /// <summary>The JWS algorithms to accept; each key is pinned to those it supports. Default: the key's own algorithm (secrets: by length, RSA: RS256, EC: by curve, Ed25519: EdDSA; a JWK's alg member).</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string[]? Algorithm { get; set; }

        /// <summary>Tolerance for the exp/nbf checks (default 1 minute).</summary>
        [Parameter(Position = 1, ParameterSetName = ResultSet)]
        [Parameter(ParameterSetName = AuthoritySet)]
        [Parameter(ParameterSetName = JwksUriSet)]
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public TimeSpan ClockSkew { get; set; } = KrLibrary.DefaultClockSkew;

        /// <summary>A shared secret that decrypts encrypted tokens (base64url text).</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public string? DecryptionBase64Url { get; set; }

        /// <summary>A shared secret that decrypts encrypted tokens (hexadecimal text).</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public string? DecryptionHexadecimalKey { get; set; }

        /// <summary>A shared secret that decrypts encrypted tokens (raw bytes).</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public byte[]? DecryptionKeyBytes { get; set; }

        /// <summary>A PBES2 password that decrypts encrypted tokens (name the PBES2 algorithm with -DecryptionKeyAlg).</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public SecureString? DecryptionPassphrase { get; set; }

        /// <summary>A PEM file with the private key (RSA, EC, X25519) that decrypts encrypted tokens.</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public string? DecryptionPemPath { get; set; }

        /// <summary>The private key that decrypts encrypted tokens, as PEM text.</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [PemTextArgument]
        public string? DecryptionPem { get; set; }

        /// <summary>The key that decrypts encrypted tokens, as a JWK (JSON text) with its private members, or an oct JWK.</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [JsonTextArgument]
        public string? DecryptionJwkJson { get; set; }

        /// <summary>A file holding the JWK that decrypts encrypted tokens.</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public string? DecryptionJwkPath { get; set; }

        /// <summary>A certificate with its (exportable) private key that decrypts encrypted tokens.</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public X509Certificate2? DecryptionX509Certificate { get; set; }

        /// <summary>
        /// Pins the decryption keys to one key management algorithm; needed for RSA1_5 and PBES2-*,
        /// which are never accepted unless named. Empty: every algorithm the keys fit.
        /// </summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string? DecryptionKeyAlg { get; set; }

        /// <summary>Pins the decryption keys to one content encryption algorithm (with -DecryptionKeyAlg).</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string? DecryptionEncAlg { get; set; }

        /// <summary>
        /// Refuse tokens that are not encrypted: a plain JWS, even correctly signed, is reported as
        /// AlgorithmNotAllowed. Needs a -Decryption* key.
        /// </summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public SwitchParameter RequireEncryption { get; set; }

        /// <summary>
        /// The most PBES2 iterations (p2c) an encrypted token may demand, 1,000 to 10,000,000 (default
        /// 10,000, jose's default: each iteration is work a forged token makes the verifier do).
        /// </summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PassphraseSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = JwksJsonSet)]
        [Parameter(ParameterSetName = JwksPathSet)]
        public int MaxPbes2Count { get; set; }

        protected override object? ErrorTarget => ParameterSetName switch
        {
            ResultSet => ErrorTargets.Token(Result),
            AuthoritySet => Authority,
            JwksUriSet => JwksUri,
            _ => null,
        };

        /// <summary>Outputs the parameters after saying what they check (-Verbose) and what they do not (warnings).</summary>
        private void Write(JwtValidationParameters parameters)
        {
            if (VerboseEnabled)
            {
                foreach (string check in parameters.Checks())
                {
                    WriteVerbose(check);
                }
            }

            bool fromResult = ParameterSetName == ResultSet;
            if (!parameters.ValidateIssuer)
            {
                WriteWarning("These validation parameters accept tokens from any issuer: " + (fromResult
                    ? "the build result has no issuer. Give the builder one (Add-KrJWTIssuer) to have it checked."
                    : "name the issuers you trust with -Issuer."));
            }

            if (!parameters.ValidateAudience)
            {
                WriteWarning("These validation parameters accept tokens meant for any audience: " + (fromResult
                    ? "the build result has no audience. Give the builder one (Add-KrJWTAudience) to have it checked."
                    : "name this service's audience with -Audience."));
            }

            WriteObject(parameters);
        }

        protected override void ProcessItem()
        {
            if (ParameterSetName == ResultSet)
            {
                Write(Result.CreateValidationParameters(ClockSkew));
                return;
            }

            if (FromProvider)
            {
                WriteObject(ProviderParameters(new ValidatorOptions { Issuers = Issuer, Audiences = Audience, ClockSkewSeconds = ClockSkew.TotalSeconds }));
                return;
            }

            var keys = new List<KrKeyHandle>();
            var decryptionKeys = new List<KrKeyHandle>();
            try
            {
                var options = new ValidatorOptions
                {
                    Issuers = Issuer,
                    Audiences = Audience,
                    Algorithms = Algorithm,
                    ClockSkewSeconds = ClockSkew.TotalSeconds,
                    KeyManagementAlgorithm = AlgorithmNames.Requested(DecryptionKeyAlg),
                    ContentEncryptionAlgorithm = AlgorithmNames.Requested(DecryptionEncAlg),
                    RequireEncryption = RequireEncryption.IsPresent,
                    MaxPbes2Count = MyInvocation.BoundParameters.ContainsKey(nameof(MaxPbes2Count)) ? MaxPbes2Count : (int?)null,
                };

                switch (ParameterSetName)
                {
                    case JwksJsonSet:
                        options.JwksJson = JwksJson;
                        break;
                    case JwksPathSet:
                        options.JwksJson = KeySource.ReadPublicTextFile(this, JwksPath, nameof(JwksPath), "JWK Set");
                        break;
                    default:
                        (KeyInput input, object value) = ParameterSetName switch
                        {
                            Base64UrlSet => (KeyInput.Base64Url, (object)Base64Url),
                            HexSet => (KeyInput.Hex, HexadecimalKey),
                            BytesSet => (KeyInput.Bytes, KeyBytes),
                            PassphraseSet => (KeyInput.Passphrase, Passphrase),
                            PemPathSet => (KeyInput.PemPath, PemPath),
                            PemSet => (KeyInput.Pem, Pem),
                            JwkJsonSet => (KeyInput.JwkJson, JwkJson),
                            JwkPathSet => (KeyInput.JwkPath, JwkPath),
                            _ => (KeyInput.Certificate, X509Certificate),
                        };
                        keys.Add(KeySource.Import(this, input, value, CertificateKey.Public));
                        break;
                }

                // Every -Decryption* parameter given adds one decryption key.
                var decryptionInputs = new (KeyInput Input, object? Value, string Parameter)[]
                {
                    (KeyInput.Base64Url, DecryptionBase64Url, nameof(DecryptionBase64Url)),
                    (KeyInput.Hex, DecryptionHexadecimalKey, nameof(DecryptionHexadecimalKey)),
                    (KeyInput.Bytes, DecryptionKeyBytes, nameof(DecryptionKeyBytes)),
                    (KeyInput.Passphrase, DecryptionPassphrase, nameof(DecryptionPassphrase)),
                    (KeyInput.PemPath, DecryptionPemPath, nameof(DecryptionPemPath)),
                    (KeyInput.Pem, DecryptionPem, nameof(DecryptionPem)),
                    (KeyInput.JwkJson, DecryptionJwkJson, nameof(DecryptionJwkJson)),
                    (KeyInput.JwkPath, DecryptionJwkPath, nameof(DecryptionJwkPath)),
                    (KeyInput.Certificate, DecryptionX509Certificate, nameof(DecryptionX509Certificate)),
                };
                foreach ((KeyInput input, object? value, string parameter) in decryptionInputs)
                {
                    if (value is not null)
                    {
                        decryptionKeys.Add(KeySource.Import(this, input, value, CertificateKey.Private, parameter));
                    }
                }

                Write(ValidatorFactory.Create(options, keys, decryptionKeys));
            }
            finally
            {
                // The validator holds its own references; ours go now.
                foreach (KrKeyHandle key in keys)
                {
                    key.Dispose();
                }

                foreach (KrKeyHandle key in decryptionKeys)
                {
                    key.Dispose();
                }
            }
        }
    }
}
