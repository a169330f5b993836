namespace KrJwt.Commands;

/// <summary>New-KrJWTBuilder: a new, empty token builder (1 hour lifetime, unsigned).</summary>
[Cmdlet(VerbsCommon.New, "KrJWTBuilder")]
[Alias("New-KrJWTTokenBuilder")] // the reference's documented "legacy alias", which it never defined
[OutputType(typeof(JwtTokenBuilder))]
public sealed class NewKrJwtBuilderCommand : KrJwtCmdlet
{
    protected override object? ErrorTarget => null;

    protected override void ProcessItem()
    {
        KrNative.Check(NativeMethods.kr_builder_new(out KrBuilderHandle handle));
        WriteObject(new JwtTokenBuilder(handle));
    }
}
