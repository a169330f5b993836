namespace KrJwt.Commands;

/// <summary>
/// Add-KrJWTSubject: sets the subject (<c>sub</c>). A token has one subject, so a later call
/// replaces it; replacing a different subject the builder already had (often a shared template
/// changed per request) is warned about.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KrJWTSubject")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class AddKrJwtSubjectCommand : BuilderMutationCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    public string Subject { get; set; } = null!;

    private protected override void Apply(KrBuilderHandle builder)
    {
        string? previous = Builder.Subject;
        KrNative.Check(NativeMethods.kr_builder_set_subject(builder, Subject));
        if (previous is not null && previous != Subject)
        {
            WriteWarning(
                $"The builder already had the subject '{previous}'; it is replaced by '{Subject}'. If the builder is a template " +
                "shared by several tokens, give each token its own copy: Copy-KrJWTTokenBuilder -Builder $template | Add-KrJWTSubject ...");
        }
    }
}
