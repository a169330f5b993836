namespace KrJwt.Util;

internal static class UtcTime
{
    /// <summary>
    /// Local times are converted; Unspecified ones are taken as UTC already (the cmdlets take UTC
    /// values, and a script writing [datetime]'2030-01-01' means that instant in UTC).
    /// </summary>
    internal static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    internal static long ToUnixSeconds(DateTime value) => new DateTimeOffset(ToUtc(value)).ToUnixTimeSeconds();
}
