using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using KrJwt.Binding;
using KrJwt.Completion;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>
    /// Protect-KrJWTPayload: makes the builder issue nested JWTs, the signed JWS (custom headers
    /// included) inside a compact JWE with <c>cty: JWT</c>. The key and the algorithm names are
    /// checked now by the library (ErrorId KrJwt.InvalidKey for a key that does not fit,
    /// KrJwt.InvalidArgument for an unknown name). A later call replaces the encryption key.
    /// </summary>
    /// <remarks>
    /// -KeyAlg: dir, A128KW, A192KW, A256KW, A128GCMKW, A192GCMKW, A256GCMKW, PBES2-HS256+A128KW,
    /// PBES2-HS384+A192KW, PBES2-HS512+A256KW (secrets); RSA-OAEP, RSA-OAEP-256/384/512, RSA1_5 (RSA);
    /// ECDH-ES, ECDH-ES+A128KW/A192KW/A256KW (EC P-256/384/521, X25519; ECDH-ESA256KW is accepted too).
    /// -EncAlg: A128GCM, A192GCM, A256GCM, A128CBC-HS256, A192CBC-HS384, A256CBC-HS512.
    /// Empty, whitespace or Auto take the key's defaults: a secret uses dir with the content
    /// encryption its size fits (16/24/32 bytes: A128/192/256GCM, 48: A192CBC-HS384, 64:
    /// A256CBC-HS512); RSA uses RSA-OAEP + A256GCM; EC and X25519 use ECDH-ES + A256GCM.
    /// Encrypting needs only a public key (PEM, certificate, JWK); the validator that decrypts needs
    /// the private key or the secret.
    /// </remarks>
    [Cmdlet(VerbsSecurity.Protect, "KrJWTPayload", DefaultParameterSetName = Base64UrlSet)]
    [OutputType(typeof(JwtTokenBuilder))]
    public sealed class ProtectKrJwtPayloadCommand : BuilderMutationCmdlet
    {
        private const string Base64UrlSet = "Base64Url";
        private const string HexSet = "HexadecimalKey";
        private const string BytesSet = "Bytes";
        private const string PassphraseSet = "Passphrase";
        private const string PemPathSet = "PemPath";
        private const string PemSet = "Pem";
        private const string CertificateSet = "Certificate";
        private const string JwkJsonSet = "JwkJson";
        private const string JwkPathSet = "JwkPath";

        /// <summary>A shared secret as base64url text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = Base64UrlSet)]
        public string Base64Url { get; set; } = null!;

        /// <summary>A shared secret as hexadecimal text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HexSet)]
        public string HexadecimalKey { get; set; } = null!;

        /// <summary>A shared secret as raw bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesSet)]
        public byte[] KeyBytes { get; set; } = null!;

        /// <summary>A password for PBES2 key wrapping (its UTF-8 bytes).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PassphraseSet)]
        public SecureString Passphrase { get; set; } = null!;

        /// <summary>A PEM file with the recipient's key (a public key or certificate is enough).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemPathSet)]
        public string PemPath { get; set; } = null!;

        /// <summary>The recipient's key as PEM text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemSet)]
        [PemTextArgument]
        public string Pem { get; set; } = null!;

        /// <summary>The recipient's certificate (its public key is enough).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2 X509Certificate { get; set; } = null!;

        /// <summary>The recipient's key as a JWK (JSON text); oct JWKs are shared secrets.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkJsonSet)]
        [JsonTextArgument]
        public string JwkJson { get; set; } = null!;

        /// <summary>A file holding the recipient's JWK.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkPathSet)]
        public string JwkPath { get; set; } = null!;

        /// <summary>The JWE key management algorithm (<c>alg</c>); empty for the key's default.</summary>
        [Parameter]
        [AllowEmptyString]
        [AllowNull]
        [Alias("KeyManagementAlgorithm")]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string? KeyAlg { get; set; } = string.Empty;

        /// <summary>The JWE content encryption algorithm (<c>enc</c>); empty for the key's default.</summary>
        [Parameter]
        [AllowEmptyString]
        [AllowNull]
        [Alias("ContentEncryptionAlgorithm")]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string? EncAlg { get; set; } = string.Empty;

        private protected override void Apply(KrBuilderHandle builder)
        {
            using KrKeyHandle key = ParameterSetName switch
            {
                HexSet => KeySource.Import(this, KeyInput.Hex, HexadecimalKey, CertificateKey.Public),
                BytesSet => KeySource.Import(this, KeyInput.Bytes, KeyBytes, CertificateKey.Public),
                PassphraseSet => KeySource.Import(this, KeyInput.Passphrase, Passphrase, CertificateKey.Public),
                PemPathSet => KeySource.Import(this, KeyInput.PemPath, PemPath, CertificateKey.Public),
                PemSet => KeySource.Import(this, KeyInput.Pem, Pem, CertificateKey.Public),
                CertificateSet => KeySource.Import(this, KeyInput.Certificate, X509Certificate, CertificateKey.Public),
                JwkJsonSet => KeySource.Import(this, KeyInput.JwkJson, JwkJson, CertificateKey.Public),
                JwkPathSet => KeySource.Import(this, KeyInput.JwkPath, JwkPath, CertificateKey.Public),
                _ => KeySource.Import(this, KeyInput.Base64Url, Base64Url, CertificateKey.Public),
            };
            KrNative.Check(NativeMethods.kr_builder_encrypt(
                builder, key, AlgorithmNames.Requested(KeyAlg), AlgorithmNames.Requested(EncAlg)));
        }
    }
}
