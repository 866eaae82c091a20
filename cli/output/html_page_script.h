// The CSS and script of the HTML timeline (html_timeline.cpp writes the markup and data).
#pragma once

#include <string_view>

namespace shapelog::cli {

// Colour is never the only mark: a wrong read also says WRONG, a race says RACE. Rows of a
// long run are one line each, so that the script can place them by index.
inline constexpr std::string_view kPageStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}
code,.timeline td,.reads{font-family:ui-monospace,monospace;font-size:13px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
.timeline tr.step:focus,.timeline tr.step.selected,.read.selected{outline:2px solid #36c;background:#eef3ff}
.timeline td.state{color:#555}.timeline tr.bad-start td:first-child{background:#fdd}
.outcome.race,.read.bad .verdict{background:#c00;color:#fff;padding:0 4px;font-weight:bold}
.outcome.ok,.read.ok .verdict{background:#070;color:#fff;padding:0 4px}
.read.bad{border-left:4px solid #c00;padding-left:4px}
.run.hidden{display:none}#selected{position:sticky;top:0;z-index:2;background:#ffd;padding:4px;min-height:1.4em}
.scroller{height:70vh;overflow:auto;border:1px solid #ccc}
table.virtual{table-layout:fixed;width:100%}table.virtual th{position:sticky;top:0;background:#fff}
table.virtual th:first-child{width:6em}table.virtual th.state{width:32%}
.virtual tr.step td,.virtual li.read{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.virtual li.read ul,.virtual li.read ul li{display:inline;padding:0;margin:0 0 0 .5em}
.virtual .spacer{list-style:none;border:0;padding:0}.virtual .spacer td{border:0;padding:0}
)";

// Tabs (one run shown at a time; without the script every run of markup is shown); a step
// selected by click or keyboard (j/k or arrows), or hovered, shows its state on top. A long
// run's rows come from its JSON and only those in view (and 12 either side, so that a small
// scroll needs no new rows) are in the DOM; links, keys and the find box reveal the rows
// they go to.
inline constexpr std::string_view kPageScript = R"(
(function(){
'use strict';
var runs=[].slice.call(document.querySelectorAll('section.run'));
var panel=document.getElementById('selected'),hint=panel.textContent;
var selected=null,selectedText=hint;
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function section(id){return document.getElementById(id);}
function show(id){runs.forEach(function(r){r.classList.toggle('hidden',runs.length>1&&r.id!==id);});
 var s=section(id);if(s&&s.virtual)s.virtual.forEach(function(v){v.render();});}

// A list of count rows of one line each, of which only those near the view are in body.
function VirtualList(body,count,make){
 var scroller=body.closest('.scroller'),row=0,first=0,last=0,pending=false,extra=12;
 var cell=body.tagName==='TBODY';
 function spacer(){var s=el(cell?'tr':'li','spacer');if(cell){var td=el('td');td.colSpan=99;s.appendChild(td);}return s;}
 var top=spacer(),bottom=spacer();body.appendChild(top);body.appendChild(bottom);
 function render(){
  if(!scroller.clientHeight)return;
  if(!row){var probe=make(0);body.insertBefore(probe,bottom);row=probe.getBoundingClientRect().height||20;probe.remove();}
  var f=Math.max(0,Math.floor(scroller.scrollTop/row)-extra),l=Math.min(count,f+Math.ceil(scroller.clientHeight/row)+2*extra);
  if(f===first&&l===last)return;
  var focused=body.contains(document.activeElement)?document.activeElement.id:null;
  while(top.nextSibling!==bottom)body.removeChild(top.nextSibling);
  var rows=document.createDocumentFragment();for(var i=f;i<l;i++)rows.appendChild(make(i));
  body.insertBefore(rows,bottom);
  top.style.height=f*row+'px';bottom.style.height=(count-l)*row+'px';first=f;last=l;
  if(focused&&document.getElementById(focused))document.getElementById(focused).focus({preventScroll:true});
 }
 scroller.addEventListener('scroll',function(){if(!pending){pending=true;requestAnimationFrame(function(){pending=false;render();});}},{passive:true});
 this.render=render;
 this.reveal=function(i){render();if(i<first+1||i>=last-1||!row){scroller.scrollTop=Math.max(0,i*row-scroller.clientHeight/3);render();}};
}

function stepRow(s,data,states,i){
 var st=data.steps[i],r=el('tr','step'+(data.badStarts.has(i)?' bad-start':''));
 r.id=s.id+'-step-'+i;r.tabIndex=0;r.dataset.step=i;r.dataset.actor=data.actors[st[0]];r.dataset.point=data.points[st[1]];
 r.appendChild(el('td',null,String(i)));
 for(var a=0;a<data.actors.length;a++){var td=el('td','lane',a===st[0]?st[2]:'');if(a===st[0])td.title=st[2];r.appendChild(td);}
 var td=el('td','state',states[i]);td.title=states[i];r.appendChild(td);
 if(selected&&selected.id===r.id)r.classList.add('selected');
 return r;
}
function readRow(s,data,i){
 var rd=data.reads[i],ok=rd[4],li=el('li','read '+(ok?'ok':'bad'));
 li.id=s.id+'-read-'+i;li.value=i+1;li.tabIndex=-1;li.dataset.actor=data.actors[rd[0]];li.dataset.step=rd[3];li.dataset.verdict=ok?'ok':'wrong';
 li.appendChild(el('span','verdict',ok?'OK':'WRONG'));
 li.appendChild(document.createTextNode(' '+data.actors[rd[0]]+' op '+rd[1]+' ('+rd[2]+'), from '));
 var a=el('a',null,'step '+rd[3]);a.href='#'+s.id+'-step-'+rd[3];li.appendChild(a);
 li.appendChild(document.createTextNode(': '+rd[5]));
 if(!ok){var ul=el('ul');rd[6].forEach(function(d){var item=el('li','damage');item.dataset.kind=d[0];
  item.appendChild(el('b',null,d[1]));item.appendChild(document.createTextNode(': '+d[2]));ul.appendChild(item);});li.appendChild(ul);}
 li.title=li.textContent;
 if(selected&&selected.id===li.id)li.classList.add('selected');
 return li;
}
// A run whose rows are data: the states are carried forward (the data holds a state only
// where it changed), then the lists are made.
function virtualRun(s){
 var script=s.querySelector('script.run-data');if(!script)return;
 var data=JSON.parse(script.textContent);s.data=data;s.virtual=[];data.badStarts=new Set(data.bad_starts);
 if(data.steps){
  var states=[],state=data.initial;data.steps.forEach(function(st){if(st[3]!==null)state=st[3];states.push(state);});
  s.states=states;
  s.stepList=new VirtualList(s.querySelector('table.virtual tbody'),data.steps.length,function(i){return stepRow(s,data,states,i);});
  s.virtual.push(s.stepList);
 }
 if(data.reads){
  s.readList=new VirtualList(s.querySelector('ol.reads.virtual'),data.reads.length,function(i){return readRow(s,data,i);});
  s.virtual.push(s.readList);
 }
}
runs.forEach(virtualRun);

function target(s,kind,i){
 var id=s.id+'-'+kind+'-'+i,e=document.getElementById(id),list=kind==='step'?s.stepList:s.readList;
 if(!e&&list){list.reveal(i);e=document.getElementById(id);}
 return e;
}
function describeRow(r){var c=r.cells;return 'step '+r.dataset.step+' ('+r.dataset.actor+', '+r.dataset.point+'): '+c[c.length-1].textContent;}
function select(e){
 document.querySelectorAll('.selected').forEach(function(x){x.classList.remove('selected');});
 selected=e;e.classList.add('selected');e.focus({preventScroll:true});
 selectedText=e.matches('tr.step')?describeRow(e):e.textContent;panel.textContent=selectedText;
}
function go(s,kind,i){show(s.id);var e=target(s,kind,i);if(e){select(e);e.scrollIntoView({block:'nearest'});}return e;}

document.addEventListener('click',function(e){
 var a=e.target.closest&&e.target.closest('a[href^="#run-"]');
 if(a){var m=/^#(run-[a-z]+)(?:-(step|read)-(\d+))?$/.exec(a.getAttribute('href')),s=m&&section(m[1]);
  if(s){e.preventDefault();if(m[2])go(s,m[2],+m[3]);else show(s.id);}return;}
 var r=e.target.closest&&e.target.closest('tr.step');if(r)select(r);
});
document.addEventListener('focusin',function(e){if(e.target.matches&&e.target.matches('tr.step')&&e.target!==selected)select(e.target);});
document.addEventListener('mouseover',function(e){var r=e.target.closest&&e.target.closest('tr.step');
 var text=r?describeRow(r):selectedText;if(panel.textContent!==text)panel.textContent=text;});
document.addEventListener('keydown',function(e){var r=document.activeElement;
 if(!r||!r.matches||!r.matches('tr.step'))return;var s=r.closest('section.run'),i=+r.dataset.step,n=null;
 if(e.key==='j'||e.key==='ArrowDown')n=i+1;if(e.key==='k'||e.key==='ArrowUp')n=i-1;
 if(n!==null&&n>=0&&n<+s.dataset.steps){e.preventDefault();go(s,'step',n);}});

// The find box of a long run: a step number, or text in a step's actor, point, detail or state.
runs.forEach(function(s){var box=s.querySelector('input.find');if(!box)return;var found=s.querySelector('.found');
 box.addEventListener('keydown',function(e){if(e.key!=='Enter')return;e.preventDefault();
  var q=box.value.trim().toLowerCase(),n=s.data.steps.length,from=selected&&selected.id.indexOf(s.id+'-step-')===0?+selected.dataset.step+1:0,hit=-1;
  if(/^\d+$/.test(q)){if(+q<n)hit=+q;}
  else if(q)for(var k=0;k<n&&hit<0;k++){var i=(from+k)%n,st=s.data.steps[i];
   if((s.data.actors[st[0]]+' '+s.data.points[st[1]]+' '+st[2]+' '+s.states[i]).toLowerCase().indexOf(q)>=0)hit=i;}
  found.textContent=hit<0?'no step matches':'step '+hit;if(hit>=0)go(s,'step',hit);});});

if(runs.length>1){var bad=document.querySelector('section.run[data-outcome="race"]');show((bad||runs[0]).id);}
else if(runs.length)show(runs[0].id);
document.body.dataset.readyMs=Math.round(performance.now());
document.body.setAttribute('data-ready','yes');
})();
)";

}  // namespace shapelog::cli
