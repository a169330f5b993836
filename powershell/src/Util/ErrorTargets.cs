namespace KrJwt.Util;

/// <summary>
/// TargetObjects for ErrorRecords that never carry a whole token: error records are printed,
/// logged and kept in $Error, and a bearer token there is a credential anyone can replay.
/// </summary>
internal static class ErrorTargets
{
    private const int Shown = 12;

    /// <summary>The start of a token (its header, which is not secret) and its length.</summary>
    internal static string? Token(string? token) =>
        token is null ? null : token.Length <= Shown ? $"token ({token.Length} characters)" : $"token {token.Substring(0, Shown)}... ({token.Length} characters)";

    /// <summary>A build result, by its token's start: the result's ToString() is the whole token.</summary>
    internal static string? Token(JwtBuilderResult? result)
    {
        if (result is null)
        {
            return null;
        }

        try
        {
            return Token(result.Token);
        }
        catch (System.ObjectDisposedException)
        {
            return "a disposed build result";
        }
    }
}
