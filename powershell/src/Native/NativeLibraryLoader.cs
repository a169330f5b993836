using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace KrJwt.Native;

/// <summary>
/// Finds the native krjwt library under runtimes/&lt;rid&gt;/native/ beside KrJwt.dll (its one
/// place in the module, as in a NuGet package) instead of relying on the process's library search
/// path, which PowerShell does not set to the module folder. Falls back to the default search when
/// the module has no library for this platform.
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string LibraryName = "krjwt";

    private static int registered;
    private static readonly object Gate = new object();
    private static readonly List<string> Problems = new List<string>();

    /// <summary>The file the resolver loaded, or null when the default search was used.</summary>
    internal static string? LoadedPath { get; private set; }

    /// <summary>Installs the resolver for this assembly, once.</summary>
    internal static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
        }
    }

    /// <summary>The platform's file name for the library.</summary>
    internal static string FileName =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "krjwt.dll"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libkrjwt.dylib"
        : "libkrjwt.so";

    /// <summary>Where the resolver looks, in order.</summary>
    internal static IReadOnlyList<string> Candidates()
    {
        string directory = ModuleDirectory();
        var paths = new List<string>();
        foreach (string rid in RuntimeIds())
        {
            paths.Add(Path.Combine(directory, "runtimes", rid, "native", FileName));
        }

        return paths;
    }

    /// <summary>Why candidate files that exist could not be loaded (for error messages).</summary>
    internal static IReadOnlyList<string> LoadProblems()
    {
        lock (Gate)
        {
            return Problems.ToArray();
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, LibraryName, StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        foreach (string candidate in Candidates())
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            try
            {
                IntPtr handle = NativeLibrary.Load(candidate);
                LoadedPath = candidate;
                return handle;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is BadImageFormatException)
            {
                lock (Gate)
                {
                    Problems.Add($"{candidate}: {ex.Message}");
                }
            }
        }

        return IntPtr.Zero;
    }

    private static string ModuleDirectory()
    {
        string location = typeof(NativeLibraryLoader).Assembly.Location;
        string? directory = string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
        return string.IsNullOrEmpty(directory) ? AppContext.BaseDirectory : directory!;
    }

    // Portable RIDs as NuGet lays out runtimes/<rid>/native (the runtime's own RID may be a
    // distro-specific one on older runtimes, so it is tried last).
    private static IEnumerable<string> RuntimeIds()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : "linux";
        var rids = new List<string> { $"{os}-{arch}" };
        if (os == "linux")
        {
            rids.Add($"linux-musl-{arch}");
        }

        if (!rids.Contains(RuntimeInformation.RuntimeIdentifier))
        {
            rids.Add(RuntimeInformation.RuntimeIdentifier);
        }

        return rids;
    }
}
