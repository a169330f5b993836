using System.Linq;

namespace KrJwt.Completion;

/// <summary>
/// The JOSE algorithm names the cmdlets offer for completion, as the library lists them
/// (<see cref="KrLibrary"/>). The library decides what each name means and which keys fit it;
/// these lists only help typing.
/// </summary>
internal static class AlgorithmNames
{
    /// <summary>JWS algorithms, Auto first (Protect-KrJWT -Algorithm, Get-KrJWTValidationParameter -Algorithm).</summary>
    internal static readonly string[] Signing = new[] { "Auto" }.Concat(KrLibrary.SigningAlgorithms).ToArray();

    /// <summary>JWE key management algorithms (-KeyAlg).</summary>
    internal static readonly string[] KeyManagement = KrLibrary.KeyManagementAlgorithms.ToArray();

    /// <summary>JWE content encryption algorithms (-EncAlg).</summary>
    internal static readonly string[] ContentEncryption = KrLibrary.ContentEncryptionAlgorithms.ToArray();

    /// <summary>
    /// JWS algorithms to complete: those that restrict validation (Auto does not), in the order
    /// PowerShell offers Protect-KrJWT's ValidateSet (sorted), so that -Algorithm completes alike
    /// everywhere.
    /// </summary>
    private static readonly string[] SigningCompletions = Signing
        .Where(name => name != "Auto")
        .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
        .ToArray();

    /// <summary>The list to complete for a parameter, by its name.</summary>
    internal static string[] For(string? parameterName)
    {
        string name = parameterName ?? string.Empty;
        if (name.EndsWith("KeyAlg", StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith("KeyManagementAlgorithm", StringComparison.OrdinalIgnoreCase))
        {
            return KeyManagement;
        }

        if (name.EndsWith("EncAlg", StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith("ContentEncryptionAlgorithm", StringComparison.OrdinalIgnoreCase))
        {
            return ContentEncryption;
        }

        return SigningCompletions;
    }

    /// <summary>
    /// Empty, whitespace and "Auto" mean "the key's default" (null for the library); other
    /// names are passed on trimmed (the library matches them case-insensitively).
    /// </summary>
    internal static string? Requested(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        string trimmed = name!.Trim();
        return string.Equals(trimmed, "Auto", StringComparison.OrdinalIgnoreCase) ? null : trimmed;
    }
}

/// <summary>
/// Argument completion for algorithm parameters, shared by every cmdlet: parameters whose name
/// ends in <c>KeyAlg</c> complete JWE key management names, <c>EncAlg</c> content encryption
/// names, anything else (<c>-Algorithm</c>, <c>-ValidAlgorithms</c>) JWS names. Matching is
/// case-insensitive by prefix; names with characters PowerShell would split (<c>+</c>) are quoted
/// (<see cref="KrNameCompleter"/>).
/// </summary>
public sealed class KrAlgorithmCompleter : KrNameCompleter
{
    protected override IEnumerable<KeyValuePair<string, string>> Offers(string parameterName, IDictionary? fakeBoundParameters) =>
        WithToolTips(AlgorithmNames.For(parameterName), name => name);
}
