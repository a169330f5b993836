namespace KrJwt.Commands;

/// <summary>Get-KrJWTToken: the compact token string of a build result.</summary>
[Cmdlet(VerbsCommon.Get, "KrJWTToken")]
[OutputType(typeof(string))]
public sealed class GetKrJwtTokenCommand : ResultCmdlet
{
    protected override void ProcessItem() => WriteObject(Result.Token);
}
