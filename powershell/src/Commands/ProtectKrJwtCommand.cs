using System;
using System.Management.Automation;
using System.Security;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>
    /// Protect-KrJWT: attaches the signing key. The library checks the key now (too short for the
    /// algorithm, wrong type, ...) so a bad key fails here, at the cmdlet that received it, with
    /// ErrorId KrJwt.InvalidKey. A later call replaces the signing key.
    /// </summary>
    [Cmdlet(VerbsSecurity.Protect, "KrJWT", DefaultParameterSetName = Base64UrlSet)]
    [OutputType(typeof(JwtTokenBuilder))]
    public sealed class ProtectKrJwtCommand : BuilderMutationCmdlet
    {
        private const string Base64UrlSet = "SecretBase64Url";
        private const string HexSet = "SecretHexadecimalKey";
        private const string PassphraseSet = "SecretPassphrase";

        /// <summary>
        /// Algorithm names offered; matched case-insensitively, passed in JOSE spelling. Keep in
        /// step with the ValidateSet below (attribute arguments must be literals).
        /// </summary>
        internal static readonly string[] Algorithms =
        {
            "Auto", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
        };

        /// <summary>The secret as base64url text (standard base64 and padding are accepted too).</summary>
        [Parameter(Mandatory = true, ParameterSetName = Base64UrlSet)]
        public string Base64Url { get; set; } = null!;

        /// <summary>The secret as hexadecimal text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HexSet)]
        public string HexadecimalKey { get; set; } = null!;

        /// <summary>A passphrase whose UTF-8 bytes are the secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PassphraseSet)]
        public SecureString Passphrase { get; set; } = null!;

        /// <summary>The JWS algorithm, or Auto to choose from the key (secrets: by length).</summary>
        [Parameter]
        [ValidateSet(
            "Auto", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
            IgnoreCase = true)]
        public string Algorithm { get; set; } = "Auto";

        private protected override void Apply(KrBuilderHandle builder)
        {
            // The builder keeps its own reference to the key; ours goes as soon as it is attached.
            using KrKeyHandle key = ParameterSetName switch
            {
                HexSet => KeyImport.FromText(KrKeyFormat.Hex, HexadecimalKey),
                PassphraseSet => KeyImport.FromPassphrase(Passphrase),
                _ => KeyImport.FromText(KrKeyFormat.Base64Url, Base64Url),
            };
            KrNative.Check(NativeMethods.kr_builder_sign(builder, key, CanonicalAlgorithm(Algorithm)));
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
