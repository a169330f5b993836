namespace KrJwt.Util;

/// <summary>Reading the values PowerShell hands over, which may come wrapped in a PSObject.</summary>
internal static class PSValues
{
    /// <summary>The object a PSObject wraps; any other value as it is.</summary>
    internal static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

    /// <summary>
    /// A key of a dictionary (the exact name first, then any case) or a property of any other object
    /// (PSCustomObject included); null when there is none or its getter throws.
    /// </summary>
    internal static object? Member(object value, string name)
    {
        object target = value is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : value;
        if (target is IDictionary dictionary)
        {
            if (dictionary.Contains(name))
            {
                return dictionary[name];
            }

            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return entry.Value;
                }
            }

            return null;
        }

        try
        {
            return PSObject.AsPSObject(value).Properties[name]?.Value;
        }
        catch (GetValueException)
        {
            return null;
        }
    }
}
