namespace KrJwt.Json;

/// <summary>
/// Shapes the JSON descriptions the library returns into PowerShell-friendly values while
/// keeping their JSON types: strings, long (or double), bool, null, object[] for arrays and
/// ordered, case-sensitive dictionaries for objects (JOSE member names are case-sensitive).
/// </summary>
internal static class JsonToPowerShell
{
    internal static JsonDocument Parse(string json) =>
        JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 128 });

    internal static object? Convert(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                // Box each branch on its own: a ?: would widen the long to double.
                if (element.TryGetInt64(out long integer))
                {
                    return integer;
                }

                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Array:
                var items = new object?[element.GetArrayLength()];
                int i = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    items[i++] = Convert(item);
                }

                return items;
            case JsonValueKind.Object:
                return ToDictionary(element);
            default:
                return null;
        }
    }

    internal static OrderedDictionary ToDictionary(JsonElement element)
    {
        var dictionary = new OrderedDictionary(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                // A duplicate member keeps its last value, as JSON parsers usually do.
                dictionary[property.Name] = Convert(property.Value);
            }
        }

        return dictionary;
    }

    /// <summary>A dictionary for an object member, or null when it is absent or JSON null.</summary>
    internal static OrderedDictionary? DictionaryOrNull(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object
            ? ToDictionary(value)
            : null;

    internal static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A boolean member, or <paramref name="fallback"/> when it is absent or not a boolean.</summary>
    internal static bool Bool(JsonElement parent, string name, bool fallback = false) =>
        parent.TryGetProperty(name, out JsonElement value) && (value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.False)
            ? value.ValueKind == JsonValueKind.True
            : fallback;

    internal static double? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    /// <summary>An array of strings (a lone string counts as one element; null or absent gives none).</summary>
    internal static string[] Strings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return Array.Empty<string>();
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return new[] { value.GetString()! };
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<string>();
        }

        var result = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                result.Add(item.GetString()!);
            }
        }

        return result.ToArray();
    }

    /// <summary>
    /// Unix seconds to a UTC DateTime; null when absent, JSON null, or outside what a DateTime can
    /// hold (years 1 to 9999: a token may say anything, and reading it must not fail).
    /// </summary>
    internal static DateTime? UnixTime(JsonElement parent, string name)
    {
        double? seconds = Number(parent, name);
        if (seconds is not double value)
        {
            return null;
        }

        // Compared as whole ticks: a double cannot tell the last tick of year 9999 from the next one.
        double ticks = Math.Round(value * TimeSpan.TicksPerSecond);
        if (!(Math.Abs(ticks) < long.MaxValue / 2))
        {
            return null;
        }

        long offset = (long)ticks;
        bool representable = offset >= -DateTime.UnixEpoch.Ticks && offset <= DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks;
        return representable ? DateTime.UnixEpoch.AddTicks(offset) : null;
    }
}
