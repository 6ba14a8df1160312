namespace LLMML.Foundation.Persistence;

/// <summary>
/// Replaces a directory's content as one step, so a crash, a kill or a full disk mid-save leaves either the old
/// content or the new, never a mix (a checkpoint with its config but without its weights). The new content is built in
/// a hidden sibling directory; files of the old directory the writer does not replace are copied over first; then the
/// old directory is renamed aside, the new one renamed in, and the old one deleted.
/// </summary>
/// <remarks>
/// Between the two renames (microseconds) the directory is absent; its complete old content is then in the sibling
/// <c>.NAME.*.old</c>, which a later save removes. A failed write deletes the half-built sibling and leaves the
/// directory untouched.
/// </remarks>
public static class AtomicDirectory
{
    /// <summary>
    /// Builds the new content of <paramref name="directory"/> with <paramref name="write"/> (given the staging directory)
    /// and swaps it in. Files and subdirectories already in <paramref name="directory"/> for which
    /// <paramref name="replaces"/> is false are carried over unchanged.
    /// </summary>
    public static void Write(string directory, Action<string> write, Func<string, bool> replaces)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(replaces);
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        RemoveLeftovers(parent, name);
        var staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        var aside = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
        Directory.CreateDirectory(staging);
        try
        {
            if (Directory.Exists(target))
                foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos())
                    if (!replaces(entry.Name)) Copy(entry, Path.Combine(staging, entry.Name));
            write(staging);
            if (Directory.Exists(target))
            {
                Directory.Move(target, aside);
                Directory.Move(staging, target);
                Directory.Delete(aside, recursive: true);
            }
            else
            {
                Directory.Move(staging, target);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void Copy(FileSystemInfo entry, string destination)
    {
        if (entry.LinkTarget is { } link)
        {
            if (entry is DirectoryInfo) Directory.CreateSymbolicLink(destination, link);
            else File.CreateSymbolicLink(destination, link);
            return;
        }
        if (entry is FileInfo file)
        {
            file.CopyTo(destination);
            return;
        }
        Directory.CreateDirectory(destination);
        foreach (var child in ((DirectoryInfo)entry).EnumerateFileSystemInfos())
            Copy(child, Path.Combine(destination, child.Name));
    }

    // Staging and set-aside directories of an earlier save that was killed (a finished save leaves none).
    private static void RemoveLeftovers(string parent, string name)
    {
        foreach (var pattern in new[] { $".{name}.*.tmp", $".{name}.*.old" })
            foreach (var leftover in Directory.EnumerateDirectories(parent, pattern))
            {
                if (pattern.EndsWith(".old", StringComparison.Ordinal) && !Directory.Exists(Path.Combine(parent, name)))
                    Directory.Move(leftover, Path.Combine(parent, name)); // killed between the renames: the old content is the latest complete one
                else
                    Directory.Delete(leftover, recursive: true);
            }
    }
}
