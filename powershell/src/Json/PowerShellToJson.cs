using System.IO;
using System.Numerics;
using System.Text;

namespace KrJwt.Json;

/// <summary>
/// Turns a PowerShell value into JSON text for the library (custom header values), following
/// the reference's type rules: strings as strings; integers and floating-point numbers as
/// numbers; booleans; IDictionary (hashtables) and PSCustomObject as objects; other
/// enumerables as arrays; DateTime/DateTimeOffset as ISO-8601 UTC strings; byte[] as base64;
/// anything else as its string form. PSObject wrappers are looked through.
/// </summary>
internal static class PowerShellToJson
{
    private const int MaxDepth = 64;

    internal static string Serialize(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = false }))
        {
            Write(writer, value, 0);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new KrJwtException(
                KrStatus.InvalidArgument,
                $"The value is nested more than {MaxDepth} levels deep (or refers to itself); it cannot be written as JSON.");
        }

        if (value is PSObject psObject)
        {
            if (psObject.BaseObject is PSCustomObject)
            {
                WritePSCustomObject(writer, psObject, depth);
                return;
            }

            value = psObject.BaseObject;
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            case float or double:
                double d = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    throw new KrJwtException(KrStatus.InvalidArgument, "NaN and infinity have no JSON representation.");
                }

                writer.WriteNumberValue(d);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case DateTime dt:
                writer.WriteStringValue(UtcTime.ToUtc(dt).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
                return;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(KeyText(entry.Key));
                    Write(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (object? item in sequence)
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                return;
            default:
                // Enums, Guids, Uris, ...: their string form is what a JOSE consumer can use.
                writer.WriteStringValue(LanguagePrimitives.ConvertTo<string>(value));
                return;
        }
    }

    private static void WritePSCustomObject(Utf8JsonWriter writer, PSObject psObject, int depth)
    {
        writer.WriteStartObject();
        foreach (PSPropertyInfo property in psObject.Properties)
        {
            writer.WritePropertyName(property.Name);
            Write(writer, property.Value, depth + 1);
        }

        writer.WriteEndObject();
    }

    private static string KeyText(object key)
    {
        return LanguagePrimitives.ConvertTo<string>(PSValues.Unwrap(key));
    }
}
