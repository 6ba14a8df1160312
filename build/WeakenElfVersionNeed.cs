// MSBuild inline task (RoslynCodeTaskFactory). See TorchSharp.targets for why it exists.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LLMML.Build
{
    /// <summary>
    /// Sets VER_FLG_WEAK on the .gnu.version_r entry that names <see cref="Version"/> in each ELF64
    /// file, when the host's <see cref="Library"/> does not provide that version. Idempotent.
    /// </summary>
    public class WeakenElfVersionNeed : Task
    {
        [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
        [Required] public string Version { get; set; } = "";
        [Required] public string Library { get; set; } = "";

        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        private static readonly string[] LibraryDirs =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };

        public override bool Execute()
        {
            if (HostProvides())
            {
                Log.LogMessage(MessageImportance.Low, $"Host {Library} provides {Version}; nothing to patch.");
                return true;
            }
            foreach (var item in Files)
            {
                try { Patch(item.ItemSpec); }
                catch (Exception e)
                {
                    Log.LogError($"Could not weaken {Version} in {item.ItemSpec}: {e.Message}");
                    return false;
                }
            }
            return !Log.HasLoggedErrors;
        }

        private bool HostProvides()
        {
            var marker = Encoding.ASCII.GetBytes(Version + "\0");
            foreach (var dir in LibraryDirs)
            {
                var path = Path.Combine(dir, Library);
                if (!File.Exists(path)) continue;
                var bytes = File.ReadAllBytes(path);
                return IndexOf(bytes, marker) >= 0;
            }
            // No libstdc++ found where we look: patching is harmless, so assume it is needed.
            return false;
        }

        private void Patch(string path)
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (bytes[4] != 2 || bytes[5] != 1)
                throw new InvalidDataException("only little-endian ELF64 is supported");

            ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
            int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
            int shnum = BitConverter.ToUInt16(bytes, 0x3C);
            int found = 0, changed = 0;
            for (int s = 0; s < shnum; s++)
            {
                int sh = checked((int)shoff + s * shentsize);
                if (BitConverter.ToUInt32(bytes, sh + 4) != ShtGnuVerneed) continue;
                int secOff = checked((int)BitConverter.ToUInt64(bytes, sh + 0x18));
                int link = (int)BitConverter.ToUInt32(bytes, sh + 0x28);
                int strOff = checked((int)BitConverter.ToUInt64(bytes, checked((int)shoff + link * shentsize) + 0x18));

                int vn = secOff;
                while (true)
                {
                    int cnt = BitConverter.ToUInt16(bytes, vn + 2);
                    int aux = vn + (int)BitConverter.ToUInt32(bytes, vn + 8);
                    for (int a = 0; a < cnt; a++)
                    {
                        int name = strOff + (int)BitConverter.ToUInt32(bytes, aux + 8);
                        if (ReadCString(bytes, name) == Version)
                        {
                            found++;
                            ushort flags = BitConverter.ToUInt16(bytes, aux + 4);
                            if ((flags & VerFlgWeak) == 0)
                            {
                                BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, aux + 4);
                                changed++;
                            }
                        }
                        uint nextAux = BitConverter.ToUInt32(bytes, aux + 12);
                        if (nextAux == 0) break;
                        aux += (int)nextAux;
                    }
                    uint next = BitConverter.ToUInt32(bytes, vn + 12);
                    if (next == 0) break;
                    vn += (int)next;
                }
            }

            if (found == 0)
            {
                Log.LogMessage(MessageImportance.Low, $"{path} does not need {Version}.");
                return;
            }
            if (changed == 0)
            {
                Log.LogMessage(MessageImportance.Low, $"{path}: {Version} is already weak.");
                return;
            }
            // New file + rename: a hard link into the NuGet cache is replaced, not modified.
            var tmp = path + ".llmml-patch";
            File.WriteAllBytes(tmp, bytes);
            File.Replace(tmp, path, null);
            Log.LogMessage(MessageImportance.High, $"LLMML: marked {Version} weak in {path} (host {Library} lacks it).");
        }

        private static string ReadCString(byte[] bytes, int offset)
        {
            int end = offset;
            while (end < bytes.Length && bytes[end] != 0) end++;
            return Encoding.ASCII.GetString(bytes, offset, end - offset);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }
}
