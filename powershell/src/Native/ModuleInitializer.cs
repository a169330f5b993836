namespace KrJwt;

/// <summary>
/// Runs at Import-Module: installs the native library resolver and refuses to import when the
/// library is missing or speaks another ABI version, because any call could then misbehave.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        NativeLibraryLoader.Register();
        AbiCheck.EnsureCompatible();
    }
}

/// <summary>The ABI version handshake with the native library.</summary>
internal static class AbiCheck
{
    /// <summary>KRJWT_ABI_VERSION of the header this module was written against.</summary>
    internal const uint ExpectedVersion = 4;

    private const string Fix =
        "Rebuild and re-stage the module so that KrJwt.dll and the native library come from the same build " +
        "(run ./build.sh at the repository root, then import out/KrJwt/KrJwt.psd1).";

    internal static void EnsureCompatible()
    {
        uint actual;
        try
        {
            actual = NativeMethods.kr_abi_version();
        }
        catch (DllNotFoundException ex)
        {
            string looked = string.Join(", ", NativeLibraryLoader.Candidates());
            string problems = string.Join("; ", NativeLibraryLoader.LoadProblems());
            throw new InvalidOperationException(
                $"KrJwt cannot load its native library '{NativeLibraryLoader.FileName}'. Looked in: {looked}, " +
                "then the system library path" +
                (problems.Length > 0 ? $" (load errors: {problems})" : string.Empty) +
                $". {Fix}",
                ex);
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"The native library {Describe()} does not export kr_abi_version: it is not a krjwt library, or a very old one. {Fix}",
                ex);
        }

        if (actual != ExpectedVersion)
        {
            throw new InvalidOperationException(
                $"KrJwt expects krjwt C ABI version {ExpectedVersion}, but the native library {Describe()} " +
                $"(krjwt {SafeVersion()}) reports ABI version {actual}. {Fix}");
        }
    }

    private static string Describe() =>
        NativeLibraryLoader.LoadedPath is string path
            ? $"'{path}'"
            : $"'{NativeLibraryLoader.FileName}' found on the system library path";

    private static string SafeVersion()
    {
        try
        {
            return KrNative.Version();
        }
        catch (EntryPointNotFoundException)
        {
            return "unknown version";
        }
    }
}
