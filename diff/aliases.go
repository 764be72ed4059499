package diff

// TEMPORARY (issue 16, phase 1): the reader and document model moved to
// package connector. These aliases keep the packages that still say diff.X
// for them compiling while they move too; the lead removes this file once
// both phase 1 branches are merged. Nothing in diff, connector, fix or
// breaking uses them: new code says connector.X.

import "github.com/connectordiff/connectordiff/connector"

// Types.
type (
	Node        = connector.Node
	NodeKind    = connector.NodeKind
	Document    = connector.Document
	Note        = connector.Note
	Location    = connector.Location
	LoadOptions = connector.LoadOptions
	LoadError   = connector.LoadError
	Connector   = connector.Folder
	File        = connector.File
	Properties  = connector.Properties
	Script      = connector.Script
)

// Constants.
const (
	Object = connector.Object
	Array  = connector.Array
	String = connector.String
	Number = connector.Number
	Bool   = connector.Bool
	Null   = connector.Null

	DefaultMaxBytes   = connector.DefaultMaxBytes
	MaxNesting        = connector.MaxNesting
	MaxAliasExpansion = connector.MaxAliasExpansion

	DefinitionFile = connector.DefinitionFile
	PropertiesFile = connector.PropertiesFile
	ScriptFile     = connector.ScriptFile
)

// Sentinel errors: the same values, so that errors.Is matches either name.
var (
	ErrSyntax       = connector.ErrSyntax
	ErrNotSwagger2  = connector.ErrNotSwagger2
	ErrTooLarge     = connector.ErrTooLarge
	ErrEmpty        = connector.ErrEmpty
	ErrAliasBomb    = connector.ErrAliasBomb
	ErrNotConnector = connector.ErrNoDefinition
	ErrCaseVariants = connector.ErrCaseVariants
	ErrSymlink      = connector.ErrSymlink
)

// Functions.
var (
	Load               = connector.Load
	LoadFile           = connector.LoadFile
	LoadText           = connector.LoadText
	RepairJSON         = connector.RepairJSON
	LoadConnector      = connector.LoadFolder
	LoadConnectorFS    = connector.LoadFolderFS
	ReadFile           = connector.ReadFile
	ReadFileFS         = connector.ReadFileFS
	SourceFile         = connector.SourceFile
	LoadProperties     = connector.LoadProperties
	LoadPropertiesFile = connector.LoadPropertiesFile
	NewScript          = connector.NewScript
)
