namespace KrJwt.Commands;

/// <summary>Add-KrJWTIssuer: sets the issuer (<c>iss</c>); a later call replaces it.</summary>
[Cmdlet(VerbsCommon.Add, "KrJWTIssuer")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class AddKrJwtIssuerCommand : BuilderMutationCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    public string Issuer { get; set; } = null!;

    private protected override void Apply(KrBuilderHandle builder) =>
        KrNative.Check(NativeMethods.kr_builder_set_issuer(builder, Issuer));
}
