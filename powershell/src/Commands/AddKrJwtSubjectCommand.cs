using System.Management.Automation;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>Add-KrJWTSubject: sets the subject (<c>sub</c>).</summary>
    [Cmdlet(VerbsCommon.Add, "KrJWTSubject")]
    [OutputType(typeof(JwtTokenBuilder))]
    public sealed class AddKrJwtSubjectCommand : BuilderMutationCmdlet
    {
        [Parameter(Mandatory = true, Position = 1)]
        public string Subject { get; set; } = null!;

        private protected override void Apply(KrBuilderHandle builder) =>
            KrNative.Check(NativeMethods.kr_builder_set_subject(builder, Subject));
    }
}
