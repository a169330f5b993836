namespace KrJwt.Commands;

/// <summary>
/// Add-KrJWTHeader: sets a custom JOSE header member; setting a name again overwrites it. The
/// value keeps its type (see <see cref="PowerShellToJson"/>); members the library owns (alg,
/// crit, ...) are refused by the library.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KrJWTHeader")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class AddKrJwtHeaderCommand : BuilderMutationCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    public string Name { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 2)]
    public object Value { get; set; } = null!;

    private protected override void Apply(KrBuilderHandle builder) =>
        KrNative.Check(NativeMethods.kr_builder_set_header(builder, Name, PowerShellToJson.Serialize(Value)));
}
