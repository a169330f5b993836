namespace KrJwt.Commands;

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
public sealed class GetKrJwkCommand : KrJwtCmdlet, IDynamicParameters
{
    private const string BuilderSet = "Builder";
    private const string ResultSet = "Result";
    private const string KeySet = "Key";

    /// <summary>A key document (<see cref="KeyParameters"/>, one): its public key is published.</summary>
    private readonly KeyParameters key = new KeyParameters(KeyRole.Publishing, KeySources.Documents, KeySet);

    /// <summary>A builder with a signing key (Protect-KrJWT).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = BuilderSet)]
    public JwtTokenBuilder Builder { get; set; } = null!;

    /// <summary>A build result.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ResultSet)]
    public JwtBuilderResult Result { get; set; } = null!;

    protected override object? ErrorTarget => ParameterSetName switch
    {
        BuilderSet => Builder,
        ResultSet => ErrorTargets.Token(Result),
        _ => null,
    };

    public object GetDynamicParameters() => KeyParameters.Declare(key);

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
                using (ImportedKeys keys = key.Import(this))
                {
                    json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_key_export_public_jwk(keys.Key, out p));
                }

                break;
        }

        WriteObject(new Jwk(json));
    }
}
