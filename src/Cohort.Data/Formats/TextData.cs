using Cohort.Tensors;

namespace Cohort.Data.Formats;

/// <summary>
/// Next-character prediction as LEAF's Shakespeare task: each sample is 80 characters (as token ids)
/// and its label the character that follows. The vocabulary is LEAF's 80 symbols plus one for any
/// other character. Clients are the files of a folder (one per file) or the ids of a CSV of
/// (client, text); each client's text is split so that its last fraction is its test data.
/// </summary>
public static class TextData
{
    /// <summary>LEAF's Shakespeare alphabet (80 symbols).</summary>
    public const string Alphabet = "\n !\"&'(),-.0123456789:;>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz}";

    public const int SequenceLength = 80;

    /// <summary>The alphabet plus the unknown symbol.</summary>
    public static int Vocabulary => Alphabet.Length + 1;

    public static int Unknown => Alphabet.Length;

    private static readonly Dictionary<char, int> Index = Alphabet.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);

    public static int Encode(char c) => Index.TryGetValue(c, out int i) ? i : Unknown;

    /// <summary>Loads a folder of .txt files or a CSV with client and text columns.</summary>
    public static TrainTest Load(string path, double testFraction = 0.2, int stride = 1, int sequenceLength = SequenceLength)
    {
        IReadOnlyList<(string Client, string Text)> clients;
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.txt").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                throw new DataFormatException($"{path}: the folder holds no .txt files.");
            }
            clients = files.Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllText(f))).ToList();
        }
        else if (File.Exists(path))
        {
            clients = ReadCsv(path);
        }
        else
        {
            throw new FileNotFoundException($"{path}: no such text folder or CSV file.", path);
        }
        return Build(Path.GetFileName(path.TrimEnd('/')), clients, testFraction, stride, sequenceLength);
    }

    public static TrainTest Build(string name, IReadOnlyList<(string Client, string Text)> clients, double testFraction, int stride, int sequenceLength)
    {
        if (testFraction is < 0 or >= 1 || stride < 1 || sequenceLength < 1)
        {
            throw new ArgumentException($"Text data: test fraction must be in [0, 1), stride and sequence length at least 1; got {testFraction}, {stride}, {sequenceLength}.");
        }
        var tokens = new List<float>();
        var train = new Windows();
        var test = new Windows();
        var names = new List<string>();
        for (int k = 0; k < clients.Count; k++)
        {
            names.Add(clients[k].Client);
            string text = clients[k].Text;
            int start = tokens.Count;
            foreach (char c in text)
            {
                tokens.Add(Encode(c));
            }
            // Windows whose target lies in the last fraction are test data; they never overlap train targets.
            int windows = Math.Max(0, text.Length - sequenceLength);
            int split = (int)Math.Round(windows * (1 - testFraction));
            for (int i = 0; i < windows; i += stride)
            {
                (i < split ? train : test).Add(start + i, (int)tokens[start + i + sequenceLength], k);
            }
        }
        float[] all = [.. tokens];
        var shape = new Shape(sequenceLength);
        return new TrainTest(train.Build(name, all, shape, names), test.Build(name, all, shape, names));
    }

    private static List<(string, string)> ReadCsv(string path)
    {
        var rows = new List<(string, string)>();
        var byClient = new Dictionary<string, System.Text.StringBuilder>(StringComparer.Ordinal);
        var order = new List<string>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (number == 1 || line.Length == 0)
            {
                continue; // header: client,text
            }
            string[] cells = CsvData.Split(line);
            if (cells.Length != 2)
            {
                throw new DataFormatException($"{path}, line {number}: expected 2 columns (client, text), found {cells.Length}.");
            }
            if (!byClient.TryGetValue(cells[0], out var sb))
            {
                sb = new System.Text.StringBuilder();
                byClient[cells[0]] = sb;
                order.Add(cells[0]);
            }
            sb.Append(cells[1]).Append('\n');
        }
        foreach (string client in order)
        {
            rows.Add((client, byClient[client].ToString()));
        }
        return rows;
    }

    private sealed class Windows
    {
        private readonly List<int> _offsets = [];
        private readonly List<int> _labels = [];
        private readonly List<int> _clients = [];

        public void Add(int offset, int label, int client)
        {
            _offsets.Add(offset);
            _labels.Add(label);
            _clients.Add(client);
        }

        public Dataset Build(string name, float[] tokens, Shape shape, IReadOnlyList<string> clients) =>
            new(name, tokens, shape, [.. _labels], Vocabulary, [.. _clients], clients, [.. _offsets]);
    }
}
