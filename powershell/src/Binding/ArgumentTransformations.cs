namespace KrJwt.Binding;

/// <summary>
/// On parameters that need a build result or a token (<c>-Result</c>, <c>-Token</c>,
/// <c>-ValidationParameter</c>): a token builder given there, typically piped one step too early,
/// is refused with a message that says to run Build-KrJWT first, instead of PowerShell's generic
/// "cannot be bound" error (or, for a string parameter, the builder's text taken for a token).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class BuiltTokenArgumentAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (PSValues.Unwrap(inputData) is JwtTokenBuilder)
        {
            throw new ArgumentTransformationMetadataException(
                "This is a token builder, not a built token: run Build-KrJWT first, e.g. $builder | Build-KrJWT | Get-KrJWTToken.");
        }

        return inputData;
    }
}

/// <summary>
/// On JSON parameters (<c>-JwkJson</c>, <c>-JwksJson</c>): besides JSON text, takes what
/// ConvertFrom-Json and Invoke-RestMethod return (PSCustomObject) and dictionaries (hashtables,
/// [ordered], Get-KrJwk output), written back as JSON text for the library to read. Arrays are
/// converted item by item, for parameters that take several JWKs.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class JsonTextArgumentAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSValues.Unwrap(inputData);
        if (value is object[] items)
        {
            var texts = new object?[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                texts[i] = ToJson(items[i]);
            }

            return texts;
        }

        return ToJson(inputData);
    }

    private static object? ToJson(object? item)
    {
        object? value = PSValues.Unwrap(item);
        return value switch
        {
            Jwk jwk => jwk.Json,
            PSCustomObject or IDictionary => PowerShellToJson.Serialize(item),
            _ => item,
        };
    }
}

/// <summary>
/// On PEM text parameters (<c>-Pem</c>, <c>-DecryptionPem</c>): the lines Get-Content returns
/// without -Raw are joined with line feeds into the PEM text they came from (PowerShell would
/// otherwise join them with spaces, which no PEM reader accepts).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PemTextArgumentAttribute : ArgumentTransformationAttribute
{
    /// <summary>
    /// The parameter takes several PEM texts: a list whose items hold line breaks is a list of
    /// whole texts and stays one; a list of single lines is still one text.
    /// </summary>
    public bool Several { get; set; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (PSValues.Unwrap(inputData) is not object[] lines)
        {
            return inputData;
        }

        var text = new List<string>();
        foreach (object? line in lines)
        {
            text.Add(PSValues.Unwrap(line)?.ToString() ?? string.Empty);
        }

        if (Several && text.Exists(item => item.IndexOf('\n') >= 0))
        {
            return text.ToArray();
        }

        return string.Join("\n", text);
    }
}

/// <summary>
/// On <c>-UserClaimType</c>: a <see cref="UserIdentityClaim"/> member, given by name (any case),
/// as the enum value, or as its number, becomes the member's name; anything else is refused
/// naming the members. (The parameter is a string, not the enum, because PowerShell completes
/// enum parameters itself, with no tooltips to say which claim each member writes.)
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class UserIdentityClaimArgumentAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSValues.Unwrap(inputData);
        string text = value switch
        {
            UserIdentityClaim member => member.ToString(),
            null => string.Empty,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? string.Empty,
        };
        // No comma lists: Enum.TryParse would OR them into another member.
        if (text.IndexOf(',') < 0 && Enum.TryParse(text, ignoreCase: true, out UserIdentityClaim parsed) && Enum.IsDefined(typeof(UserIdentityClaim), parsed))
        {
            return parsed.ToString();
        }

        throw new ArgumentTransformationMetadataException(
            $"'{text}' is not a UserIdentityClaim member. Use one of: {string.Join(", ", Enum.GetNames(typeof(UserIdentityClaim)))}; " +
            "for any other claim name use -ClaimType.");
    }
}
