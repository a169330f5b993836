namespace KrJwt.Commands;

/// <summary>
/// Copy-KrJWTTokenBuilder: a deep copy. Nothing is shared with the original, headers included
/// (the reference shared its header dictionary between copies).
/// </summary>
[Cmdlet(VerbsCommon.Copy, "KrJWTTokenBuilder")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class CopyKrJwtTokenBuilderCommand : BuilderCmdlet
{
    protected override void ProcessItem()
    {
        KrNative.Check(NativeMethods.kr_builder_clone(Builder.Handle, out KrBuilderHandle clone));
        WriteObject(new JwtTokenBuilder(clone));
    }
}
