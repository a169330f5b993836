using System.Management.Automation;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>
    /// Build-KrJWT: issues a token from the builder. Building never changes the builder, so it can
    /// be called any number of times (each build has fresh iat/nbf/exp).
    /// </summary>
    [Cmdlet("Build", "KrJWT")] // an approved verb since PowerShell 6; PowerShellStandard 5.1 has no constant for it
    [OutputType(typeof(JwtBuilderResult))]
    public sealed class BuildKrJwtCommand : BuilderCmdlet
    {
        protected override void ProcessItem()
        {
            KrNative.Check(NativeMethods.kr_builder_build(Builder.Handle, out KrResultHandle result));
            WriteObject(new JwtBuilderResult(result));
        }
    }
}
