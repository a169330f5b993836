using System.Security.Cryptography.X509Certificates;

namespace KrJwt.Commands;

/// <summary>
/// Get-KrJwkThumbprint: the RFC 7638 JWK thumbprint (base64url SHA-256 of the canonical JWK,
/// 43 characters) of a certificate's public key, a JWK hashtable or JWK JSON. RSA, EC, OKP
/// (Ed25519, X25519) and oct keys; only the required public members count, so a private JWK
/// and its public half give the same thumbprint. This is the default kid KrJwt gives keys.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KrJwkThumbprint", DefaultParameterSetName = CertificateSet)]
[OutputType(typeof(string))]
public sealed class GetKrJwkThumbprintCommand : KrJwtCmdlet
{
    private const string CertificateSet = "Certificate";
    private const string JwkSet = "Jwk";
    private const string JwkJsonSet = "JwkJson";

    /// <summary>A certificate (its public key; no private key needed).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = CertificateSet)]
    public X509Certificate2 Certificate { get; set; } = null!;

    /// <summary>A JWK as a hashtable, e.g. @{ kty = 'RSA'; n = '...'; e = 'AQAB' }.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = JwkSet)]
    public Hashtable Jwk { get; set; } = null!;

    /// <summary>A JWK as JSON text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = JwkJsonSet)]
    [JsonTextArgument]
    public string JwkJson { get; set; } = null!;

    // A JWK may be a private key: errors name only certificates, never key text.
    protected override object? ErrorTarget => ParameterSetName == CertificateSet ? Certificate : null;

    protected override void ProcessItem()
    {
        switch (ParameterSetName)
        {
            case JwkSet:
                string fromHashtable = PowerShellToJson.Serialize(Jwk);
                WriteObject(KrNative.GetString((out IntPtr p) => NativeMethods.kr_jwk_compute_thumbprint(fromHashtable, out p)));
                break;
            case JwkJsonSet:
                WriteObject(KrNative.GetString((out IntPtr p) => NativeMethods.kr_jwk_compute_thumbprint(JwkJson, out p)));
                break;
            default:
                using (KrKeyHandle key = KeySource.FromCertificate(Certificate, CertificateKey.Public))
                {
                    WriteObject(KrNative.GetString((out IntPtr p) => NativeMethods.kr_key_get_thumbprint(key, out p)));
                }

                break;
        }
    }
}
