using System.Globalization;

namespace KrJwt.Commands;

/// <summary>
/// Build-KrJWT: issues a token from the builder. Building never changes the builder, so it can
/// be called any number of times (each build has fresh iat/nbf/exp). -Verbose tells the
/// algorithm, kid and times of the token.
/// </summary>
[Cmdlet("Build", "KrJWT")] // an approved verb since PowerShell 6; PowerShellStandard 5.1 has no constant for it
[OutputType(typeof(JwtBuilderResult))]
public sealed class BuildKrJwtCommand : BuilderCmdlet
{
    private const string Time = "yyyy-MM-dd HH:mm:ss'Z'";

    protected override void ProcessItem()
    {
        KrNative.Check(NativeMethods.kr_builder_build(Builder.Handle, out KrResultHandle handle));
        var result = new JwtBuilderResult(handle);
        if (VerboseEnabled)
        {
            WriteVerbose($"Signed with {result.Algorithm}, kid '{result.KeyId}'.");
            WriteVerbose($"Issued at {result.IssuedAt?.ToString(Time, CultureInfo.InvariantCulture)}, valid from {result.NotBefore?.ToString(Time, CultureInfo.InvariantCulture)} " +
                $"until {result.Expires?.ToString(Time, CultureInfo.InvariantCulture)} ({result.Expires - result.NotBefore}).");
            if (result.IsEncrypted && result.OuterHeader is { } outer)
            {
                WriteVerbose($"Encrypted: alg {outer["alg"]}, enc {outer["enc"]}.");
            }
        }

        WriteObject(result);
    }
}
