// MSBuild inline task (RoslynCodeTaskFactory). See TorchSharp.targets for why it exists.
// Self-contained on purpose (no paths, no project properties): it can ship in a package's buildTransitive/ as is.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LLMML.Build
{
    /// <summary>
    /// On AMD hosts, makes Intel MKL (linked statically into libtorch_cpu.so) pick its kernels by the CPU's feature
    /// flags instead of its vendor string: the body of <c>mkl_serv_intel_cpu_true</c> becomes <c>mov eax,1; ret</c>.
    /// Only the given (build output) copies are changed, each by writing a new file and renaming it over the old one,
    /// so a hard link into the NuGet cache is replaced, never written through. Idempotent.
    /// </summary>
    public class PatchMklVendorCheck : Microsoft.Build.Utilities.Task
    {
        [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Path of the host's CPU description; a property so tests can stand in for another vendor.</summary>
        public string CpuInfo { get; set; } = "/proc/cpuinfo";

        /// <summary>
        /// Patch whatever the host's vendor: for output made to run on other machines (the llmml tool package). On an
        /// Intel CPU the patched function answers what the original would, so only AMD users see a difference.
        /// </summary>
        public bool AnyHost { get; set; }

        public override bool Execute()
        {
            var vendor = MklVendorCheck.HostVendor(CpuInfo);
            if (vendor != "AuthenticAMD" && !AnyHost)
            {
                Log.LogMessage(MessageImportance.Low, $"CPU vendor '{vendor ?? "unknown"}' is not AMD: MKL's vendor check is left alone.");
                return true;
            }
            foreach (var item in Files)
            {
                try
                {
                    var outcome = MklVendorCheck.Patch(item.ItemSpec);
                    switch (outcome.Kind)
                    {
                        case MklVendorCheck.OutcomeKind.Patched:
                            Log.LogMessage(MessageImportance.High, $"LLMML: {outcome.Message} ({(AnyHost ? "for any host" : "AMD host")}; opt out with -p:LLMMLPatchMklVendorCheck=false).");
                            break;
                        case MklVendorCheck.OutcomeKind.Skipped:
                            Log.LogWarning($"LLMML: MKL vendor check not patched in {item.ItemSpec}: {outcome.Message}");
                            break;
                        default:
                            Log.LogMessage(MessageImportance.Low, outcome.Message);
                            break;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    // Only speed is at stake: a failed patch leaves a working (slower) library, so warn, do not fail.
                    Log.LogWarning($"LLMML: could not patch MKL's vendor check in {item.ItemSpec}: {e.Message}");
                }
            }
            return true;
        }
    }

    /// <summary>The ELF work behind <see cref="PatchMklVendorCheck"/>, free of MSBuild types so tests can call it.</summary>
    public static class MklVendorCheck
    {
        public const string Symbol = "mkl_serv_intel_cpu_true";

        /// <summary><c>mov eax, 1; ret</c>.</summary>
        public static readonly byte[] Replacement = { 0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3 };

        public enum OutcomeKind { Patched, AlreadyPatched, NoSymbol, Skipped }

        public sealed class Outcome
        {
            public Outcome(OutcomeKind kind, long fileOffset, string message) { Kind = kind; FileOffset = fileOffset; Message = message; }
            public OutcomeKind Kind { get; }
            /// <summary>File offset of the function's first byte, or -1 when the symbol was not found.</summary>
            public long FileOffset { get; }
            public string Message { get; }
        }

        private const uint ShtSymtab = 2, ShtDynsym = 11;
        private const int SttFunc = 2;

        /// <summary>The <c>vendor_id</c> of the first processor in a /proc/cpuinfo-style file, or null.</summary>
        public static string? HostVendor(string cpuInfoPath)
        {
            if (!File.Exists(cpuInfoPath)) return null;
            foreach (var line in File.ReadLines(cpuInfoPath))
            {
                if (!line.StartsWith("vendor_id", StringComparison.Ordinal)) continue;
                var colon = line.IndexOf(':');
                return colon < 0 ? null : line.Substring(colon + 1).Trim();
            }
            return null;
        }

        /// <summary>Where the vendor-check function starts in the file and how long it is, or null when absent.</summary>
        public static (long Offset, long Size)? Locate(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var header = ReadAt(file, 0, 64);
            if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (header[4] != 2 || header[5] != 1)
                throw new InvalidDataException("only little-endian ELF64 is supported");
            long shoff = checked((long)BitConverter.ToUInt64(header, 0x28));
            int shentsize = BitConverter.ToUInt16(header, 0x3A);
            int shnum = BitConverter.ToUInt16(header, 0x3C);
            var sections = ReadAt(file, shoff, checked(shentsize * shnum));

            // The full .symtab first; .dynsym only lists it when the build exported it.
            foreach (var wanted in new[] { ShtSymtab, ShtDynsym })
            {
                for (int s = 0; s < shnum; s++)
                {
                    int sh = s * shentsize;
                    if (BitConverter.ToUInt32(sections, sh + 4) != wanted) continue;
                    long symOff = checked((long)BitConverter.ToUInt64(sections, sh + 0x18));
                    long symSize = checked((long)BitConverter.ToUInt64(sections, sh + 0x20));
                    int link = (int)BitConverter.ToUInt32(sections, sh + 0x28);
                    long entSize = checked((long)BitConverter.ToUInt64(sections, sh + 0x38));
                    if (entSize < 24 || link >= shnum) continue;
                    long strOff = checked((long)BitConverter.ToUInt64(sections, link * shentsize + 0x18));
                    long strSize = checked((long)BitConverter.ToUInt64(sections, link * shentsize + 0x20));
                    var symbols = ReadAt(file, symOff, checked((int)symSize));
                    var strings = ReadAt(file, strOff, checked((int)strSize));
                    var name = Encoding.ASCII.GetBytes(Symbol + "\0");
                    for (long e = 0; e + 24 <= symSize; e += entSize)
                    {
                        int at = (int)e;
                        if ((symbols[at + 4] & 0xf) != SttFunc) continue;
                        long nameAt = BitConverter.ToUInt32(symbols, at);
                        if (!NameMatches(strings, nameAt, name)) continue;
                        ushort shndx = BitConverter.ToUInt16(symbols, at + 6);
                        ulong value = BitConverter.ToUInt64(symbols, at + 8);
                        long size = checked((long)BitConverter.ToUInt64(symbols, at + 16));
                        if (shndx == 0 || shndx >= shnum) continue;
                        // file offset = address − section address + section offset (of the section holding the code).
                        int target = shndx * shentsize;
                        ulong secAddr = BitConverter.ToUInt64(sections, target + 0x10);
                        ulong secOff = BitConverter.ToUInt64(sections, target + 0x18);
                        ulong secSize = BitConverter.ToUInt64(sections, target + 0x20);
                        if (value < secAddr || value - secAddr + (ulong)size > secSize)
                            throw new InvalidDataException($"{Symbol} lies outside its section");
                        return (checked((long)(value - secAddr + secOff)), size);
                    }
                }
            }
            return null;
        }

        /// <summary>
        /// Patches <paramref name="path"/> in place of itself (new file renamed over it). Skips, with the reason, when
        /// the function does not look like the vendor check this patch was verified on.
        /// </summary>
        public static Outcome Patch(string path)
        {
            var located = Locate(path);
            if (located is null) return new Outcome(OutcomeKind.NoSymbol, -1, $"{path} has no {Symbol}; nothing to patch.");
            var (offset, size) = located.Value;
            if (size < Replacement.Length)
                return new Outcome(OutcomeKind.Skipped, offset, $"{Symbol} is only {size} bytes long");

            byte[] body;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                body = ReadAt(file, offset, checked((int)size));
            if (StartsWith(body, Replacement))
                return new Outcome(OutcomeKind.AlreadyPatched, offset, $"{path}: {Symbol} already returns 1.");
            if (!LooksLikeVendorCheck(body))
                return new Outcome(OutcomeKind.Skipped, offset,
                    $"{Symbol} at file offset 0x{offset:x} does not look like the CPUID 'GenuineIntel' check this patch was verified on (first bytes {Hex(body, 8)})");

            // New file + rename: the output copy is usually a hard link into the NuGet cache, which must stay intact.
            var tmp = path + ".llmml-patch";
            File.Copy(path, tmp, overwrite: true);
            try
            {
                using (var file = new FileStream(tmp, FileMode.Open, FileAccess.Write, FileShare.None))
                {
                    file.Position = offset;
                    file.Write(Replacement, 0, Replacement.Length);
                }
                // Keep the source's timestamp so MSBuild's incremental copy sees the file as up to date and does not
                // relink the unpatched one over it on every build.
                File.SetLastWriteTimeUtc(tmp, File.GetLastWriteTimeUtc(path));
                File.Replace(tmp, path, null);
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
            return new Outcome(OutcomeKind.Patched, offset, $"patched {Symbol} at file offset 0x{offset:x} in {path}");
        }

        /// <summary>CPUID plus the three dwords of "GenuineIntel" compared as immediates: the function we mean.</summary>
        public static bool LooksLikeVendorCheck(byte[] body)
        {
            // One char per byte, so ordinal substring search finds byte sequences.
            var text = new string(Array.ConvertAll(body, b => (char)b));
            return text.Contains("\u000F\u00A2") && text.Contains("Genu") && text.Contains("ineI") && text.Contains("ntel");
        }

        private static byte[] ReadAt(FileStream file, long offset, int count)
        {
            if (offset < 0 || offset + count > file.Length) throw new InvalidDataException("ELF offsets point past the end of the file");
            var buffer = new byte[count];
            file.Position = offset;
            int read = 0;
            while (read < count)
            {
                int n = file.Read(buffer, read, count - read);
                if (n == 0) throw new EndOfStreamException();
                read += n;
            }
            return buffer;
        }

        private static bool NameMatches(byte[] strings, long at, byte[] nameWithNul)
        {
            if (at < 0 || at + nameWithNul.Length > strings.Length) return false;
            for (int i = 0; i < nameWithNul.Length; i++)
                if (strings[at + i] != nameWithNul[i]) return false;
            return true;
        }

        private static bool StartsWith(byte[] bytes, byte[] prefix)
        {
            if (bytes.Length < prefix.Length) return false;
            for (int i = 0; i < prefix.Length; i++)
                if (bytes[i] != prefix[i]) return false;
            return true;
        }

        private static string Hex(byte[] bytes, int count)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < Math.Min(count, bytes.Length); i++) sb.Append(bytes[i].ToString("X2")).Append(i + 1 < count ? " " : "");
            return sb.ToString();
        }
    }
}
