// Package site is the shared core of finsam's web features: the
// dependencies every handler needs (Site), who is asking (Actor), rendering
// pages into the shared layout (Render, Page), the message catalogues of the
// two interface languages (Catalogue), the form model for field problems
// (Problems), the error a handler returns and the one place that maps it to
// an HTTP answer (Error, Site.Fail), and the embedded static files.
//
// The web package is the composition root: it builds a Site, registers the
// routes of every feature package in its one route table and runs the
// middleware. Feature packages (web/calculator, ...) import this package,
// the domain packages and store; never web itself, and never each other
// except in the one direction the import test allows.
package site
