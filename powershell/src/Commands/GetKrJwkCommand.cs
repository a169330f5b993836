using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using KrJwt.Binding;
using KrJwt.Native;
using KrJwt.Util;

namespace KrJwt.Commands
{
    /// <summary>
    /// Get-KrJwk: the public JWK of a signing key, to publish so that others can verify tokens
    /// (see New-KrJwks for a /.well-known/jwks.json document). From a builder (its signing key), a
    /// build result (with the token's <c>alg</c>), or a key source (-PemPath, -Pem, -JwkJson,
    /// -JwkPath, -X509Certificate). The <c>kid</c> is the key's own (a JWK's) or its RFC 7638
    /// thumbprint, the same kid tokens signed with it carry. Only public members are output; a
    /// shared secret is refused (KrJwt.InvalidKey): publishing it would let anyone forge tokens.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KrJwk", DefaultParameterSetName = BuilderSet)]
    [OutputType(typeof(Jwk))]
    public sealed class GetKrJwkCommand : KrJwtCmdlet
    {
        private const string BuilderSet = "Builder";
        private const string ResultSet = "Result";
        private const string PemPathSet = "PemPath";
        private const string PemSet = "Pem";
        private const string JwkJsonSet = "JwkJson";
        private const string JwkPathSet = "JwkPath";
        private const string CertificateSet = "Certificate";

        /// <summary>A builder with a signing key (Protect-KrJWT).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = BuilderSet)]
        public JwtTokenBuilder Builder { get; set; } = null!;

        /// <summary>A build result.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ResultSet)]
        public JwtBuilderResult Result { get; set; } = null!;

        /// <summary>A PEM file with a private or public key, or a certificate.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemPathSet)]
        public string PemPath { get; set; } = null!;

        /// <summary>A key or certificate as PEM text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PemSet)]
        [PemTextArgument]
        public string Pem { get; set; } = null!;

        /// <summary>A JWK as JSON text (private members are dropped).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkJsonSet)]
        [JsonTextArgument]
        public string JwkJson { get; set; } = null!;

        /// <summary>A file holding a JWK.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JwkPathSet)]
        public string JwkPath { get; set; } = null!;

        /// <summary>A certificate (its public key).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2 X509Certificate { get; set; } = null!;

        protected override object? ErrorTarget => ParameterSetName switch
        {
            BuilderSet => Builder,
            ResultSet => ErrorTargets.Token(Result),
            _ => null,
        };

        protected override void ProcessItem()
        {
            string json;
            switch (ParameterSetName)
            {
                case BuilderSet:
                    json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_builder_export_public_jwk(Builder.Handle, out p));
                    break;
                case ResultSet:
                    json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_result_export_public_jwk(Result.Handle, out p));
                    break;
                default:
                    using (KrKeyHandle key = ImportKey())
                    {
                        json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_key_export_public_jwk(key, out p));
                    }

                    break;
            }

            WriteObject(new Jwk(json));
        }

        private KrKeyHandle ImportKey() => ParameterSetName switch
        {
            PemPathSet => KeySource.Import(this, KeyInput.PemPath, PemPath, CertificateKey.Public),
            PemSet => KeySource.Import(this, KeyInput.Pem, Pem, CertificateKey.Public),
            JwkJsonSet => KeySource.Import(this, KeyInput.JwkJson, JwkJson, CertificateKey.Public),
            JwkPathSet => KeySource.Import(this, KeyInput.JwkPath, JwkPath, CertificateKey.Public),
            _ => KeySource.Import(this, KeyInput.Certificate, X509Certificate, CertificateKey.Public),
        };
    }
}
