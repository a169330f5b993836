using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using KrJwt.Binding;
using KrJwt.Completion;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>
    /// Protect-KrJWT: attaches the signing key. The library checks the key now (too short for the
    /// algorithm, RSA under 2048 bits, wrong type for the algorithm, public-only, malformed) so a bad
    /// key fails here, at the cmdlet that received it, with ErrorId KrJwt.InvalidKey (KrJwt.Io for a
    /// file that cannot be read, KrJwt.InvalidJson for a JWK that is not JSON). A later call replaces
    /// the signing key.
    /// </summary>
    /// <remarks>
    /// Key sources (one parameter set each): -Base64Url (default), -HexadecimalKey, -Passphrase,
    /// -KeyBytes (secrets); -PemPath and -Pem (PKCS#1, PKCS#8, SEC1 private keys; RSA, EC P-256/384/521,
    /// Ed25519); -JwkJson and -JwkPath (RSA, EC, OKP Ed25519 or oct with their private members);
    /// -X509Certificate (an RSA or ECDSA certificate with an exportable private key).
    /// -Algorithm Auto picks from the key: secrets by length (HS256/384/512), RSA RS256, EC by curve
    /// (ES256/384/512), Ed25519 EdDSA. -Verbose tells the key type, the algorithm chosen and the kid.
    /// -Pem also takes the lines Get-Content returns; -JwkJson also takes objects and hashtables.
    /// </remarks>
    [Cmdlet(VerbsSecurity.Protect, "KrJWT", DefaultParameterSetName = Base64UrlSet)]
    [OutputType(typeof(JwtTokenBuilder))]
    public sealed class ProtectKrJwtCommand : BuilderMutationCmdlet
    {
        private const string Base64UrlSet = "SecretBase64Url";
        private const string HexSet = "SecretHexadecimalKey";
        private const string PassphraseSet = "SecretPassphrase";
        private const string BytesSet = "Bytes";
        private const string PemPathSet = "PemPath";
        private const string PemSet = "Pem";
        private const string JwkJsonSet = "JwkJson";
        private const string JwkPathSet = "JwkPath";
        private const string CertificateSet = "Certificate";

        /// <summary>
        /// Algorithm names offered; matched case-insensitively, passed in JOSE spelling. Keep in
        /// step with the ValidateSet below (attribute arguments must be literals).
        /// </summary>
        internal static readonly string[] Algorithms = AlgorithmNames.Signing;

        /// <summary>The secret as base64url text (standard base64 and padding are accepted too).</summary>
        [Parameter(Mandatory = true, ParameterSetName = Base64UrlSet)]
        public string Base64Url { get; set; } = null!;

        /// <summary>The secret as hexadecimal text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HexSet)]
        public string HexadecimalKey { get; set; } = null!;

        /// <summary>A passphrase whose UTF-8 bytes are the secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PassphraseSet)]
        public SecureString Passphrase { get; set; } = null!;

        /// <summary>The secret as raw bytes (your array is neither kept nor changed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesSet)]
        public byte[] KeyBytes { get; set; } = null!;

        /// <summary>
        /// A PEM file with the private key (PKCS#1, PKCS#8 or SEC1). ~ and environment variables are
        /// expanded; a relative path is resolved against the current location.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = PemPathSet)]
        public string PemPath { get; set; } = null!;

        /// <summary>The private key as PEM text (or its lines, as Get-Content without -Raw gives them).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemSet)]
        [PemTextArgument]
        public string Pem { get; set; } = null!;

        /// <summary>The key as a JWK with its private members: JSON text, a parsed object (ConvertFrom-Json) or a hashtable.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkJsonSet)]
        [JsonTextArgument]
        public string JwkJson { get; set; } = null!;

        /// <summary>A file holding the key as a JWK (same path rules as -PemPath).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkPathSet)]
        public string JwkPath { get; set; } = null!;

        /// <summary>An RSA or ECDSA certificate with its (exportable) private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2 X509Certificate { get; set; } = null!;

        /// <summary>The JWS algorithm, or Auto to choose from the key.</summary>
        [Parameter]
        [ValidateSet(
            "Auto", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
            IgnoreCase = true)]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string Algorithm { get; set; } = "Auto";

        private protected override void Apply(KrBuilderHandle builder)
        {
            // The builder keeps its own reference to the key; ours goes as soon as it is attached.
            using KrKeyHandle key = ParameterSetName switch
            {
                HexSet => KeySource.Import(this, KeyInput.Hex, HexadecimalKey, CertificateKey.Private),
                PassphraseSet => KeySource.Import(this, KeyInput.Passphrase, Passphrase, CertificateKey.Private),
                BytesSet => KeySource.Import(this, KeyInput.Bytes, KeyBytes, CertificateKey.Private),
                PemPathSet => KeySource.Import(this, KeyInput.PemPath, PemPath, CertificateKey.Private),
                PemSet => KeySource.Import(this, KeyInput.Pem, Pem, CertificateKey.Private),
                JwkJsonSet => KeySource.Import(this, KeyInput.JwkJson, JwkJson, CertificateKey.Private),
                JwkPathSet => KeySource.Import(this, KeyInput.JwkPath, JwkPath, CertificateKey.Private),
                CertificateSet => KeySource.Import(this, KeyInput.Certificate, X509Certificate, CertificateKey.Private),
                _ => KeySource.Import(this, KeyInput.Base64Url, Base64Url, CertificateKey.Private),
            };
            string? requested = CanonicalAlgorithm(Algorithm);
            KrNative.Check(NativeMethods.kr_builder_sign(builder, key, requested));
            if (VerboseEnabled)
            {
                WriteVerbose(KeyDescription.Summary(key));
                string? chosen = Builder.Algorithm;
                WriteVerbose(requested is null
                    ? $"Algorithm: {chosen}, chosen by Auto from the key (name another with -Algorithm)."
                    : $"Algorithm: {chosen}, as requested.");
                WriteVerbose($"Key id (kid header of the tokens): {Builder.KeyId}");
            }
        }

        /// <summary>The JOSE spelling of a (case-insensitive) algorithm name; null for Auto.</summary>
        internal static string? CanonicalAlgorithm(string name)
        {
            foreach (string candidate in Algorithms)
            {
                if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate == "Auto" ? null : candidate;
                }
            }

            return name;
        }
    }
}
