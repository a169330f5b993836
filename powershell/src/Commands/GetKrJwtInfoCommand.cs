using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using KrJwt.Binding;
using KrJwt.Completion;
using KrJwt.Native;
using KrJwt.Util;

namespace KrJwt.Commands
{
    /// <summary>
    /// Get-KrJWTInfo: decodes a token WITHOUT validating it (no signature, lifetime, issuer or
    /// audience check): use it to read a token, never to decide whether to trust it (Test-KrJWT
    /// does that). Claim values keep their JSON types (arrays stay arrays). For an encrypted token
    /// (JWE) it returns the outer header with IsEncrypted; given a decryption key (-Base64Url,
    /// -HexadecimalKey, -KeyBytes, -PemPath, -Pem, -JwkJson, -JwkPath, -X509Certificate) or the
    /// -Result / -ValidationParameter holding one, it decrypts and describes the signed token inside.
    /// </summary>
    /// <remarks>
    /// Tokens come from the pipeline (strings, or objects with a Token, access_token or AccessToken
    /// property: build results, an OAuth token response from Invoke-RestMethod). A token that cannot be decoded or decrypted is a non-terminating error
    /// (KrJwt.InvalidToken), so the other tokens are still read; a bad key is terminating.
    /// RSA1_5 and PBES2 tokens are decrypted only through -ValidationParameter made with
    /// Get-KrJWTValidationParameter -DecryptionKeyAlg.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "KrJWTInfo", DefaultParameterSetName = TokenSet)]
    [OutputType(typeof(JwtInfo))]
    public sealed class GetKrJwtInfoCommand : KrJwtCmdlet, IDisposable
    {
        private const string TokenSet = "Token";
        private const string Base64UrlSet = "Base64Url";
        private const string HexSet = "HexadecimalKey";
        private const string BytesSet = "Bytes";
        private const string PemPathSet = "PemPath";
        private const string PemSet = "Pem";
        private const string JwkJsonSet = "JwkJson";
        private const string JwkPathSet = "JwkPath";
        private const string CertificateSet = "Certificate";
        private const string ResultSet = "Result";
        private const string ValidationParameterSet = "ValidationParameter";
        private const string ContextSet = "Context";

        // The decryption key, imported once for the whole pipeline.
        private KrKeyHandle? key;

        /// <summary>The compact token (JWS or JWE).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TokenSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = Base64UrlSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = HexSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PemPathSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PemSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JwkJsonSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JwkPathSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResultSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ValidationParameterSet)]
        [Alias("access_token", "AccessToken")]
        [BuiltTokenArgument]
        public string Token { get; set; } = null!;

        /// <summary>A shared secret that decrypts an encrypted token (base64url text).</summary>
        [Parameter(Mandatory = true, ParameterSetName = Base64UrlSet)]
        public string Base64Url { get; set; } = null!;

        /// <summary>A shared secret that decrypts an encrypted token (hexadecimal text).</summary>
        [Parameter(Mandatory = true, ParameterSetName = HexSet)]
        public string HexadecimalKey { get; set; } = null!;

        /// <summary>A shared secret that decrypts an encrypted token (raw bytes).</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesSet)]
        public byte[] KeyBytes { get; set; } = null!;

        /// <summary>A PEM file with the private key (RSA, EC, X25519) that decrypts an encrypted token.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemPathSet)]
        public string PemPath { get; set; } = null!;

        /// <summary>The private key that decrypts an encrypted token, as PEM text (or its lines, as Get-Content gives them).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemSet)]
        [PemTextArgument]
        public string Pem { get; set; } = null!;

        /// <summary>The key that decrypts an encrypted token, as a JWK: JSON text, a parsed object or a hashtable.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkJsonSet)]
        [JsonTextArgument]
        public string JwkJson { get; set; } = null!;

        /// <summary>A file holding the JWK that decrypts an encrypted token.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkPathSet)]
        public string JwkPath { get; set; } = null!;

        /// <summary>A certificate with its (exportable) private key that decrypts an encrypted token.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2 X509Certificate { get; set; } = null!;

        /// <summary>A build result whose encryption key (a secret or a private key) decrypts the token.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResultSet)]
        public JwtBuilderResult Result { get; set; } = null!;

        /// <summary>Validation parameters whose decryption keys decrypt the token (nothing is validated).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ValidationParameterSet)]
        public JwtValidationParameters ValidationParameter { get; set; } = null!;

        /// <summary>
        /// With a decryption key: the JWE key management algorithm to accept. Empty: every one the key
        /// fits except RSA1_5 and PBES2, which must be named.
        /// </summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string? KeyAlg { get; set; }

        /// <summary>With a decryption key: the JWE content encryption to accept. Empty: any.</summary>
        [Parameter(ParameterSetName = Base64UrlSet)]
        [Parameter(ParameterSetName = HexSet)]
        [Parameter(ParameterSetName = BytesSet)]
        [Parameter(ParameterSetName = PemPathSet)]
        [Parameter(ParameterSetName = PemSet)]
        [Parameter(ParameterSetName = JwkJsonSet)]
        [Parameter(ParameterSetName = JwkPathSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
        public string? EncAlg { get; set; }

        /// <summary>
        /// Read the bearer token of the current request ($Context.Request.Headers['Authorization'],
        /// scheme in any case). No bearer token: a non-terminating KrJwt.NoBearerToken error, no output.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ContextSet)]
        public SwitchParameter FromContext { get; set; }

        /// <summary>
        /// With -FromContext: a registered bearer scheme (Add-KrJWTBearerAuthentication) whose
        /// decryption keys decrypt an encrypted request token (nothing is validated).
        /// </summary>
        [Parameter(ParameterSetName = ContextSet)]
        [Alias("AuthenticationScheme")]
        [ArgumentCompleter(typeof(KrBearerSchemeCompleter))]
        public string? Scheme { get; set; }

        protected override object? ErrorTarget => ErrorTargets.Token(Token);

        public void Dispose()
        {
            key?.Dispose();
            key = null;
        }

        protected override void ProcessItem()
        {
            if (ParameterSetName == ContextSet && !ReadContextToken())
            {
                return;
            }

            string json;
            Utf8Token token = Utf8Token.Of(Token);
            switch (ParameterSetName)
            {
                case ContextSet when !string.IsNullOrEmpty(Scheme):
                    JwtValidationParameters fromScheme = SchemeParameters();
                    json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_inspect(fromScheme.Handle, token.Bytes, token.Length, out p)));
                    break;
                case TokenSet:
                case ContextSet:
                    json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_token_inspect(token.Bytes, token.Length, out p)));
                    break;
                case ResultSet:
                    JwtValidationParameters fromResult = Result.CachedValidationParameters(KrLibrary.DefaultClockSkew);
                    json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_inspect(fromResult.Handle, token.Bytes, token.Length, out p)));
                    break;
                case ValidationParameterSet:
                    json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_inspect(ValidationParameter.Handle, token.Bytes, token.Length, out p)));
                    break;
                default:
                    KrKeyHandle decryptionKey = key ??= ImportKey();
                    json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_token_inspect_with_key(decryptionKey, AlgorithmNames.Requested(KeyAlg), AlgorithmNames.Requested(EncAlg), token.Bytes, token.Length, out p)));
                    break;
            }

            if (json.Length > 0)
            {
                WriteObject(JwtInfo.FromJson(json));
            }
        }

        /// <summary>Sets <see cref="Token"/> from the request's bearer token; false (after a non-terminating error) when there is none.</summary>
        private bool ReadContextToken()
        {
            BearerToken.Lookup lookup = BearerToken.FromSessionState(SessionState);
            if (lookup.Token is null)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException("Get-KrJWTInfo -FromContext found no bearer token. " + lookup.Problem),
                    "KrJwt.NoBearerToken",
                    ErrorCategory.AuthenticationError,
                    null));
                return false;
            }

            Token = lookup.Token;
            return true;
        }

        private JwtValidationParameters SchemeParameters()
        {
            try
            {
                return JwtBearerSchemes.Resolve(Scheme).ValidationParameters;
            }
            catch (ItemNotFoundException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.SchemeNotFound", ErrorCategory.ObjectNotFound, Scheme));
                throw; // not reached
            }
        }

        /// <summary>Runs an inspection; a token that cannot be read is reported and skipped (empty result).</summary>
        private string Inspect(Func<string> inspect)
        {
            try
            {
                return inspect();
            }
            catch (KrJwtException ex) when (ex.Status == KrStatus.InvalidToken)
            {
                WriteError(new ErrorRecord(ex, ex.ErrorId, ex.Category, ErrorTargets.Token(Token)));
                return string.Empty;
            }
        }

        private KrKeyHandle ImportKey() => ParameterSetName switch
        {
            Base64UrlSet => KeySource.Import(this, KeyInput.Base64Url, Base64Url, CertificateKey.Private),
            HexSet => KeySource.Import(this, KeyInput.Hex, HexadecimalKey, CertificateKey.Private),
            BytesSet => KeySource.Import(this, KeyInput.Bytes, KeyBytes, CertificateKey.Private),
            PemPathSet => KeySource.Import(this, KeyInput.PemPath, PemPath, CertificateKey.Private),
            PemSet => KeySource.Import(this, KeyInput.Pem, Pem, CertificateKey.Private),
            JwkJsonSet => KeySource.Import(this, KeyInput.JwkJson, JwkJson, CertificateKey.Private),
            JwkPathSet => KeySource.Import(this, KeyInput.JwkPath, JwkPath, CertificateKey.Private),
            CertificateSet => KeySource.Import(this, KeyInput.Certificate, X509Certificate, CertificateKey.Private),
            _ => throw new InvalidOperationException($"No decryption key in parameter set {ParameterSetName}."),
        };
    }
}
