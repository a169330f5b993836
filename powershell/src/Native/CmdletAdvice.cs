namespace KrJwt.Native;

/// <summary>
/// The cmdlet advice added to a library failure when it becomes an ErrorRecord. The library's
/// messages speak of its own concepts (a signing key, a lifetime, token times); which cmdlet or
/// parameter supplies them is the module's to say, from the status and what the cmdlet was given.
/// </summary>
internal static class CmdletAdvice
{
    /// <summary>Claims the library computes when it builds a token (RFC 7519 times).</summary>
    private static readonly string[] TimeClaims = { "exp", "nbf", "iat" };

    /// <summary><paramref name="failure"/>, with advice for the cmdlet that met it when there is some.</summary>
    internal static KrJwtException Advise(KrJwtException failure, InvocationInfo invocation)
    {
        string? advice = For(failure.Status, invocation.MyCommand.Name, invocation.BoundParameters);
        return advice is null ? failure : failure.WithMessage($"{failure.Message} {advice}");
    }

    private static string? For(KrStatus? status, string cmdlet, IDictionary<string, object> bound) => (status, cmdlet) switch
    {
        // Only a builder without a signing key is not ready for what was asked.
        (KrStatus.InvalidState, _) => "Add one with Protect-KrJWT first.",
        (KrStatus.InvalidArgument, "Add-KrJWTClaim") when IsTimeClaim(bound) =>
            "Use Limit-KrJWTValidity or Limit-KrJWTNotBefore to control token times.",
        (KrStatus.InvalidArgument, "Limit-KrJWTValidity") => "Give a lifetime such as -Minutes 30.",
        _ => null,
    };

    private static bool IsTimeClaim(IDictionary<string, object> bound) =>
        bound.TryGetValue("ClaimType", out object? type) && type is string name && Array.IndexOf(TimeClaims, name.Trim()) >= 0;
}
