namespace KrJwt.Commands;

/// <summary>
/// Add-KrJWTAudience: adds one or more audiences (-Audience 'a','b'). Audiences accumulate,
/// distinct and in order (<c>aud</c> is a string for one, an array for more), as the guide promises.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KrJWTAudience")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class AddKrJwtAudienceCommand : BuilderMutationCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    public string[] Audience { get; set; } = null!;

    private protected override void Apply(KrBuilderHandle builder)
    {
        foreach (string audience in Audience)
        {
            KrNative.Check(NativeMethods.kr_builder_add_audience(builder, audience));
        }
    }
}
