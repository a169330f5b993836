namespace KrJwt.Util;

/// <summary>
/// Names a token for -WhatIf and -Confirm by what it says about itself (subject, key id), read by
/// the library without validating it. Never the token itself: it is a credential.
/// </summary>
internal static class TokenTarget
{
    private const int MaxShown = 64;

    internal static string Describe(string token)
    {
        string json;
        Utf8Token bytes = Utf8Token.Of(token);
        try
        {
            json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_token_inspect(bytes.Bytes, bytes.Length, out p));
        }
        catch (KrJwtException)
        {
            return "a token that cannot be read (renewal will refuse it)";
        }

        using JsonDocument document = JsonToPowerShell.Parse(json);
        JsonElement root = document.RootElement;
        string kind = JsonToPowerShell.Bool(root, "encrypted") ? "the encrypted token" : "the token";
        string? subject = JsonToPowerShell.String(root, "subject");
        string? kid = JsonToPowerShell.String(root, "keyId");
        string text = subject is null ? $"{kind} without a subject" : $"{kind} of subject '{Shorten(subject)}'";
        return kid is null ? text : $"{text} (kid '{Shorten(kid)}')";
    }

    private static string Shorten(string value) => value.Length <= MaxShown ? value : value.Substring(0, MaxShown) + "...";
}
